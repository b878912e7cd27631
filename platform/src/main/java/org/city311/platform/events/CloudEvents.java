package org.city311.platform.events;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.city311.contracts.EventContract;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Creates and reads the CloudEvents this platform exchanges. Every service uses this one codec, so that the
 * envelope is written the same way everywhere and checked against the contract in {@code contracts/}.
 */
public final class CloudEvents {

    private final JsonMapper json;
    private final String source;
    private final Clock clock;

    public CloudEvents(JsonMapper json, String source, Clock clock) {
        this.json = json;
        this.source = source;
        this.clock = clock;
    }

    /** A new event about one request; {@code data} is an immutable record of the producer. */
    public CloudEvent create(String type, String requestId, Object data) {
        return create(type, requestId, data, null);
    }

    /** An event of a change {@code actedBy} made (see {@link CloudEvent#actedby()}); null when the platform did. */
    public CloudEvent create(String type, String requestId, Object data, String actedBy) {
        // Millisecond precision: what JSON consumers in other languages parse without surprises.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return new CloudEvent(CloudEvent.SPEC_VERSION, UUID.randomUUID().toString(), source, type, requestId, now,
                CloudEvent.JSON, json.valueToTree(data), actedBy);
    }

    public String toJson(CloudEvent event) {
        return json.writeValueAsString(event);
    }

    /**
     * Reads an envelope; a body that is not a CloudEvent of ours is a {@link MalformedEventException}, which
     * the consumers let through to their dead-letter topic instead of retrying forever.
     */
    public CloudEvent parse(byte[] body) {
        return receive(body).event();
    }

    /**
     * {@link #parse} for a consumer that may then {@link #checkContract} the event: the JSON read is kept for the
     * check, so that the record's bytes are parsed once (a rebuild reads every event ever published).
     */
    public ReceivedEvent receive(byte[] body) {
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw new MalformedEventException("not a JSON object");
            }
            CloudEvent event = envelope(node);
            if (!CloudEvent.SPEC_VERSION.equals(event.specversion())) {
                throw new MalformedEventException("unsupported specversion " + event.specversion());
            }
            return new ReceivedEvent(event, node);
        }
        catch (JacksonException | NullPointerException ex) {
            throw new MalformedEventException("unreadable CloudEvent: " + ex.getMessage() + " in "
                    + abbreviate(new String(body, StandardCharsets.UTF_8)));
        }
    }

    /** The envelope's attributes read straight from the JSON, or through the mapper when one is not plain. */
    private CloudEvent envelope(JsonNode node) {
        try {
            return new CloudEvent(JsonFields.text(node, "specversion"), JsonFields.text(node, "id"),
                    JsonFields.text(node, "source"), JsonFields.text(node, "type"), JsonFields.text(node, "subject"),
                    JsonFields.instant(node, "time"), JsonFields.text(node, "datacontenttype"), node.get("data"),
                    JsonFields.text(node, "actedby"));
        }
        catch (JsonFields.Unusual unusual) {
            return json.treeToValue(node, CloudEvent.class);
        }
    }

    /**
     * Refuses an event whose body breaks the contract of its type (a missing request id, a date that is no date,
     * a subject that names another request): the consumer would otherwise apply half an event. Its place is the
     * dead-letter topic, with the violations as the reason. Types without a contract here are left to the
     * consumer (skipped, or refused as an unknown version).
     */
    public void checkContract(ReceivedEvent received) {
        CloudEvent event = received.event();
        if (!EventContract.types().contains(event.type())) {
            return;
        }
        List<String> violations = EventContract.violations(received.json());
        if (!violations.isEmpty()) {
            throw new MalformedEventException(event.type() + " " + event.id() + " breaks its contract: "
                    + abbreviate(String.join("; ", violations)));
        }
    }

    /** The event's data as the consumer's own record (tolerant reader: unknown fields are ignored). */
    public <T> T data(CloudEvent event, Class<T> type) {
        try {
            return json.treeToValue(event.data(), type);
        }
        catch (JacksonException ex) {
            throw new MalformedEventException(event.type() + " " + event.id() + ": " + ex.getOriginalMessage());
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
