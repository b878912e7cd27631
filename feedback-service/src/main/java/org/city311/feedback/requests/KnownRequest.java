package org.city311.feedback.requests;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * What feedback-service knows of a request: from request-service's request-created (how it came in and who
 * asked, never who the resident is) and from routing-service's events (which department answers for it, and
 * where it stands).
 *
 * @param sequence the newest routing event applied (0 before any); older ones are ignored
 * @param resolutionSequence the sequence of the newest request-resolved event: the resolution feedback answers
 * @param channel how the request came in ({@code phone}, {@code web}, ...), from request-created
 * @param segment {@code resident} or {@code internal}, from request-created
 * @param requestingDepartment for an internal request, the department that asked
 */
@Document(KnownRequest.COLLECTION)
public record KnownRequest(
        @Id String id,
        String serviceCode,
        String department,
        String status,
        long sequence,
        Instant resolvedAt,
        Long resolutionSequence,
        String channel,
        String segment,
        String requestingDepartment) {

    static final String COLLECTION = "requests";

    /** Routed at least once: a department answers for it. */
    public boolean routed() {
        return department != null;
    }

    public boolean resolved() {
        return "resolved".equals(status);
    }

    /** The resolution that feedback given now answers, if the request stands resolved. */
    public Long currentResolution() {
        return resolved() ? resolutionSequence : null;
    }
}
