package org.city311.feedback.requests;

import java.time.Instant;

/**
 * A department resolved a request: one of the {@link RequestsChanged}, for the surveys to invite the customer.
 *
 * @param sequence the sequence of the request-resolved event: the resolution a survey answers
 * @param before what was known of the request before this event (who asked for it, whether it was resolved
 *        before): null if nothing was; the same event delivered again finds it already applied
 */
public record RequestResolved(String requestId, String serviceCode, String department, Instant resolvedAt,
        long sequence, KnownRequest before) implements RequestChange {

    /** Nothing is known of an earlier resolution (only, perhaps, of this one, delivered again). */
    public boolean neverResolvedBefore() {
        return before == null || before.resolutionSequence() == null || before.resolutionSequence() == sequence;
    }
}
