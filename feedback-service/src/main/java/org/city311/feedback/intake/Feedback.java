package org.city311.feedback.intake;

import java.time.Instant;
import java.util.List;

import org.city311.platform.outbox.PendingEvent;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/** One piece of feedback, stored with the event that announces it. */
@Document(Feedback.COLLECTION)
record Feedback(
        @Id String id,
        String requestId,
        String department,
        String serviceCode,
        String source,
        int satisfaction,
        Boolean resolved,
        String comment,
        Instant receivedAt,
        List<PendingEvent> outbox) {

    static final String COLLECTION = "feedback";
}
