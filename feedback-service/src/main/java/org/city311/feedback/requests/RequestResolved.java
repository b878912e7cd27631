package org.city311.feedback.requests;

import java.time.Instant;

/**
 * A department resolved a request: published inside feedback-service (synchronously, on the consumer's thread, so
 * that a listener's failure makes Kafka redeliver the event) for the surveys to invite the customer.
 *
 * @param sequence the sequence of the request-resolved event: the resolution a survey answers
 */
public record RequestResolved(String requestId, String serviceCode, String department, Instant resolvedAt,
        long sequence) {
}
