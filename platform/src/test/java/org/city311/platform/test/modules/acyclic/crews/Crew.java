package org.city311.platform.test.modules.acyclic.crews;

/** A crew, which knows nothing of alerts. */
public record Crew(String name) {
}
