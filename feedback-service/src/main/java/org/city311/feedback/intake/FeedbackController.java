package org.city311.feedback.intake;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

import org.city311.platform.security.Caller;
import org.city311.feedback.requests.KnownRequest;
import org.city311.platform.web.Problems;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Feedback that staff take down: by phone, or from a comment card at the counter; and secret-shopper audits, kept
 * apart from the customers' verdicts by their {@code source}.
 */
@RestController
class FeedbackController {

    private final ReactiveMongoTemplate mongo;
    private final FeedbackRecorder recorder;

    FeedbackController(ReactiveMongoTemplate mongo, FeedbackRecorder recorder) {
        this.mongo = mongo;
        this.recorder = recorder;
    }

    /**
     * Feedback staff take down. With an {@code Idempotency-Key}, a retried submission (a double click, a dropped
     * connection) answers the feedback the first one stored, and stores and publishes nothing more.
     */
    @PostMapping("/api/feedback")
    Mono<ResponseEntity<FeedbackView>> receive(@Valid @RequestBody NewFeedback body,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey, Caller caller) {
        String id = idempotentId(idempotencyKey, body.source(), body.requestId());
        return routed(body.requestId())
                .flatMap(request -> recordOnce(id, recorder.record(new FeedbackRecorder.Entry(id, request,
                        body.source(), body.satisfaction(), body.resolved(), body.ease(), null, body.comment(), null,
                        null, null, caller.id()))))
                .map(FeedbackController::created);
    }

    /**
     * An evaluator's structured score of how a request was handled. Its {@code satisfaction} is the rounded mean of
     * the four scores; a mean below the threshold opens a follow-up.
     */
    @PostMapping("/api/audits")
    Mono<ResponseEntity<FeedbackView>> audit(@Valid @RequestBody NewAudit body,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey, Caller caller) {
        Feedback.Scores scores = new Feedback.Scores(body.courtesy(), body.routingAccuracy(), body.timeliness(),
                body.resolutionQuality());
        String id = idempotentId(idempotencyKey, "audit", body.requestId());
        return routed(body.requestId())
                .flatMap(request -> recordOnce(id, recorder.record(new FeedbackRecorder.Entry(id, request, "audit",
                        scores.roundedMean(), null, null, scores, body.comment(), null, null, body.auditor(),
                        caller.id()))))
                .map(FeedbackController::created);
    }

    /** The feedback id a key stands for, so the store itself refuses a second submission; none without a key. */
    private static String idempotentId(String idempotencyKey, String source, String requestId) {
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            return null;
        }
        if (idempotencyKey.length() > 200) {
            throw Problems.invalid("Idempotency-Key", "at most 200 characters");
        }
        return UUID.nameUUIDFromBytes((source + "|" + requestId + "|" + idempotencyKey.strip())
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** A retry finds what the first attempt stored. */
    private Mono<Feedback> recordOnce(String id, Mono<Feedback> recording) {
        if (id == null) {
            return recording;
        }
        return recording.onErrorResume(DuplicateKeyException.class, alreadyStored -> mongo.findById(id, Feedback.class));
    }

    private Mono<KnownRequest> routed(String requestId) {
        return mongo.findById(requestId, KnownRequest.class)
                .filter(KnownRequest::routed)
                .switchIfEmpty(Mono.error(() -> Problems.notFound("No routed request " + requestId
                        + " is known to feedback-service; feedback needs the department that handled it.")));
    }

    private static ResponseEntity<FeedbackView> created(Feedback stored) {
        return ResponseEntity.created(URI.create("/api/feedback/" + stored.id())).body(FeedbackView.of(stored));
    }

    record NewFeedback(
            @NotBlank @Size(max = 64) String requestId,
            @NotNull @Min(1) @Max(5) Integer satisfaction,
            @NotNull @Pattern(regexp = "phone|comment_card", message = "phone or comment_card") String source,
            Boolean resolved,
            @Min(1) @Max(5) Integer ease,
            @Size(max = 2000) String comment) {
    }

    record NewAudit(
            @NotBlank @Size(max = 64) String requestId,
            @NotNull @Min(1) @Max(5) Integer courtesy,
            @NotNull @Min(1) @Max(5) Integer routingAccuracy,
            @NotNull @Min(1) @Max(5) Integer timeliness,
            @NotNull @Min(1) @Max(5) Integer resolutionQuality,
            @Size(max = 64) String auditor,
            @Size(max = 2000) String comment) {
    }

    /** @param followUpId the follow-up it opened, if it was negative */
    record FeedbackView(String id, String requestId, String department, String serviceCode, String source,
            int satisfaction, Boolean resolved, Integer ease, Feedback.Scores scores, String comment, String channel,
            String segment, Long resolutionSequence, String followUpId, Instant receivedAt) {

        static FeedbackView of(Feedback feedback) {
            return new FeedbackView(feedback.id(), feedback.requestId(), feedback.department(),
                    feedback.serviceCode(), feedback.source(), feedback.satisfaction(), feedback.resolved(),
                    feedback.ease(), feedback.scores(), feedback.comment(), feedback.channel(), feedback.segment(),
                    feedback.resolutionSequence(), feedback.followUp() == null ? null : feedback.followUp().id(),
                    feedback.receivedAt());
        }
    }
}
