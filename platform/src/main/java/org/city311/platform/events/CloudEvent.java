package org.city311.platform.events;

import java.time.Instant;
import java.util.Objects;

import tools.jackson.databind.JsonNode;

/**
 * A CloudEvents 1.0 envelope in structured JSON mode: the Kafka record value is this whole object, so a
 * department's own system can read every attribute without knowing our header conventions.
 * <p>
 * {@code type} is a stable, versioned name such as {@code city311.request.created.v1}, never a Java class name;
 * {@code subject} is the request id, which is also the Kafka key.
 * <p>
 * {@code actedby} (a CloudEvents extension attribute) names who made the change: a staff member's id from their
 * token, {@code open311:<client>} for an Open311 application, {@code resident} for a survey answer; absent when the
 * platform itself acted (routing rules, a survey window that ended). It is never a resident's personal data.
 */
public record CloudEvent(
        String specversion,
        String id,
        String source,
        String type,
        String subject,
        Instant time,
        String datacontenttype,
        JsonNode data,
        String actedby) {

    public static final String SPEC_VERSION = "1.0";
    public static final String JSON = "application/json";
    /** Content type of a structured-mode CloudEvent, set as the Kafka record's {@code content-type} header. */
    public static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";

    public CloudEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
    }
}
