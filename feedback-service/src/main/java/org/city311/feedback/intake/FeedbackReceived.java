package org.city311.feedback.intake;

import java.time.Instant;

import org.city311.contracts.EventContract;

/**
 * A customer's (or an auditor's) verdict on how a request was handled. Published as {@value #TYPE}; never carries
 * the comment or any personal data.
 *
 * @param channel how the request came in, when known
 * @param segment {@code resident} or {@code internal}, when known
 * @param ease 1-5, from surveys
 * @param resolutionSequence the sequence of the request-resolved event the feedback answers, when known:
 *        routing-service reopens or closes the request only if nothing happened to it since
 * @param scores an audit's scores (then {@code satisfaction} is their rounded mean and {@code source} is
 *        {@code audit})
 */
record FeedbackReceived(
        String feedbackId,
        String requestId,
        String department,
        String serviceCode,
        String source,
        int satisfaction,
        Boolean resolved,
        Instant receivedAt,
        String channel,
        String segment,
        Integer ease,
        Long resolutionSequence,
        Feedback.Scores scores) {

    static final String TYPE = EventContract.FEEDBACK_RECEIVED;

    static FeedbackReceived of(Feedback feedback) {
        return new FeedbackReceived(feedback.id(), feedback.requestId(), feedback.department(), feedback.serviceCode(),
                feedback.source(), feedback.satisfaction(), feedback.resolved(), feedback.receivedAt(),
                feedback.channel(), feedback.segment(), feedback.ease(), feedback.resolutionSequence(),
                feedback.scores());
    }
}
