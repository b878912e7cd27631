package org.city311.platform.test.modules.cyclic.alerts;

import org.city311.platform.test.modules.cyclic.crews.Crew;

/** Sends a crew: alerts use crews. */
public record Alert(String text, Crew crew) {
}
