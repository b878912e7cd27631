package org.city311.feedback.followup;

import java.time.Instant;

/**
 * The department's follow-up of one piece of negative feedback, kept inside that feedback's document so that the
 * feedback, its follow-up and their events are written in one atomic update.
 *
 * @param reason {@code low_satisfaction}, {@code not_resolved} or {@code low_audit}
 * @param status {@code open}, {@code acknowledged} or {@code closed}
 * @param rootCause once closed: {@code staffing}, {@code process}, {@code communication}, {@code contractor},
 *        {@code wrong_routing}, {@code resident_expectation} or {@code other}
 * @param action what the department did, in its own words (no personal data), once closed
 * @param onTime closed by its due date
 * @param overdueAt when it was found past its due date unclosed (once)
 */
public record FollowUp(
        String id,
        String reason,
        String status,
        Instant openedAt,
        Instant dueAt,
        Instant acknowledgedAt,
        String acknowledgedBy,
        Instant closedAt,
        String rootCause,
        String action,
        Boolean onTime,
        Instant overdueAt) {

    public static final String OPEN = "open";
    public static final String ACKNOWLEDGED = "acknowledged";
    public static final String CLOSED = "closed";
}
