package org.city311.feedback.requests;

import java.time.Instant;

import org.city311.platform.security.Caller;

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
 * @param filedBy who filed it, from request-created's {@code actedby}: a staff member's id, {@code open311:<client>};
 *        null for requests known before this was kept, or filed by no one the platform knows
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
        String requestingDepartment,
        String filedBy) {

    static final String COLLECTION = "requests";

    public boolean internal() {
        return "internal".equals(segment);
    }

    /**
     * Whether the caller is the customer of this internal request: they filed it, or their department asked for it
     * and they are one of its agents or supervisors. Its survey is theirs to find and answer. (A resident's request
     * filed by staff is the resident's: staff run its survey with them by phone.)
     */
    public boolean askedBy(Caller caller) {
        return caller != null && internal() && ((filedBy != null && filedBy.equals(caller.id()))
                || caller.worksFor(requestingDepartment));
    }

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
