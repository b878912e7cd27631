package org.city311.platform.events;

import tools.jackson.databind.JsonNode;

/**
 * A CloudEvent as a consumer received it: the envelope, and the JSON it was read from, which
 * {@link CloudEvents#checkContract} checks against the event type's schema without parsing the record again.
 */
public record ReceivedEvent(CloudEvent event, JsonNode json) {
}
