package org.city311.feedback.followup;

import java.time.Instant;

import org.city311.contracts.EventContract;

/** The follow-up events, published on {@code city311.feedback} keyed by the request id. */
public final class FollowUpEvents {

    private FollowUpEvents() {
    }

    /** @param reason {@code low_satisfaction}, {@code not_resolved} or {@code low_audit} */
    public record FollowUpOpened(String followUpId, String requestId, String department, String serviceCode,
            String reason, Instant dueAt, Instant openedAt) {

        public static final String TYPE = EventContract.FOLLOWUP_OPENED;
    }

    /** @param action the department's words, never the customer's comment */
    record FollowUpClosed(String followUpId, String requestId, String department, String rootCause, String action,
            boolean onTime, Instant closedAt) {

        static final String TYPE = EventContract.FOLLOWUP_CLOSED;
    }

    record FollowUpOverdue(String followUpId, String requestId, String department, Instant dueAt,
            Instant overdueAt) {

        static final String TYPE = EventContract.FOLLOWUP_OVERDUE;
    }
}
