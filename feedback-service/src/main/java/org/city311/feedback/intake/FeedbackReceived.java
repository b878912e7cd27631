package org.city311.feedback.intake;

import java.time.Instant;

/** A customer's (or an auditor's) verdict on how a request was handled. Published as {@value #TYPE}. */
record FeedbackReceived(
        String feedbackId,
        String requestId,
        String department,
        String serviceCode,
        String source,
        int satisfaction,
        Boolean resolved,
        Instant receivedAt) {

    static final String TYPE = "city311.feedback.received.v1";
}
