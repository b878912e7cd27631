package org.city311.feedback.followup;

import java.time.Instant;
import java.util.Map;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * This package's view of a stored piece of feedback (the {@code feedback} collection, written by the intake): the
 * fields a department needs to follow it up. Unknown fields are ignored, so the intake may add its own.
 *
 * @param scores an audit's scores by criterion
 */
@Document("feedback")
record FollowedUpFeedback(
        @Id String id,
        String requestId,
        String department,
        String serviceCode,
        String source,
        int satisfaction,
        Boolean resolved,
        Integer ease,
        Map<String, Integer> scores,
        String comment,
        Instant receivedAt,
        FollowUp followUp) {
}
