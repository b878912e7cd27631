package org.city311.platform.test.modules.cyclic.crews;

import org.city311.platform.test.modules.cyclic.alerts.Alert;

/** Raises alerts: crews use alerts, closing the cycle. */
public record Crew(String name) {

    public Alert raise(String text) {
        return new Alert(text, this);
    }
}
