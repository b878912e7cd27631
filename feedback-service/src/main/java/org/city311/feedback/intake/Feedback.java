package org.city311.feedback.intake;

import java.time.Instant;
import java.util.List;

import org.city311.feedback.followup.FollowUp;
import org.city311.platform.outbox.PendingEvent;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One piece of feedback, whatever its source, stored with the follow-up it opened (if negative) and the events that
 * announce them: one document, one atomic write.
 *
 * @param source {@code survey}, {@code phone}, {@code comment_card} or {@code audit}
 * @param satisfaction 1-5; for an audit, the rounded mean of its scores
 * @param ease how easy it was to get help, 1-5 (surveys)
 * @param scores an audit's scores; null for the customer's feedback
 * @param comment free text, stored as given and escaped wherever it is shown; never put in events
 * @param channel how the request came in, and {@code segment} who asked (resident or internal), when known
 * @param resolutionSequence the resolution the feedback answers, when known
 * @param surveyId the survey answered, for survey responses
 * @param auditor who audited (staff), for audits
 */
@Document(Feedback.COLLECTION)
public record Feedback(
        @Id String id,
        String requestId,
        String department,
        String serviceCode,
        String source,
        int satisfaction,
        Boolean resolved,
        Integer ease,
        Scores scores,
        String comment,
        String channel,
        String segment,
        Long resolutionSequence,
        String surveyId,
        String auditor,
        Instant receivedAt,
        FollowUp followUp,
        List<PendingEvent> outbox) {

    static final String COLLECTION = "feedback";

    Feedback withOutbox(List<PendingEvent> events) {
        return new Feedback(id, requestId, department, serviceCode, source, satisfaction, resolved, ease, scores,
                comment, channel, segment, resolutionSequence, surveyId, auditor, receivedAt, followUp,
                List.copyOf(events));
    }

    /** A secret shopper's structured scores of a request's handling, 1-5 each. */
    public record Scores(int courtesy, int routingAccuracy, int timeliness, int resolutionQuality) {

        public double mean() {
            return (courtesy + routingAccuracy + timeliness + resolutionQuality) / 4.0;
        }

        /** The mean rounded half up: the audit's {@code satisfaction}, so that it reads on the same 1-5 scale. */
        public int roundedMean() {
            return (int) Math.round(mean());
        }
    }
}
