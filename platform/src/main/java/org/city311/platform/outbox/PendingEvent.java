package org.city311.platform.outbox;

import java.time.Instant;

import org.city311.platform.events.CloudEvent;
import org.city311.platform.events.CloudEvents;

/**
 * An event waiting in its aggregate's document to be published: written in the same single-document update as
 * the state change it announces, so that the change and its event are never separated, on any MongoDB.
 *
 * @param eventId the CloudEvent id, which also marks it sent (pulled from the document)
 * @param topic the Kafka topic, written by this service alone
 * @param key the Kafka record key: the request id
 * @param payload the whole CloudEvent as JSON, exactly as it goes on the wire
 */
public record PendingEvent(String eventId, String topic, String key, String type, String payload, Instant createdAt) {

    public static PendingEvent of(String topic, CloudEvent event, CloudEvents cloudEvents) {
        return new PendingEvent(event.id(), topic, event.subject(), event.type(), cloudEvents.toJson(event),
                event.time());
    }
}
