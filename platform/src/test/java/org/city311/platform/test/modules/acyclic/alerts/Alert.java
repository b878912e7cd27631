package org.city311.platform.test.modules.acyclic.alerts;

import org.city311.platform.test.modules.acyclic.crews.Crew;

/** Sends a crew: alerts use crews. */
public record Alert(String text, Crew crew) {
}
