package org.city311.feedback.intake;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

import org.city311.feedback.requests.KnownRequest;
import org.city311.platform.events.CloudEvent;
import org.city311.platform.events.CloudEvents;
import org.city311.platform.outbox.OutboxRelay;
import org.city311.platform.outbox.PendingEvent;
import org.city311.platform.web.Problems;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Feedback that staff take down: by phone, or from a comment card at the counter. */
@RestController
class FeedbackController {

    static final String FEEDBACK_TOPIC = "city311.feedback";

    private final ReactiveMongoTemplate mongo;
    private final CloudEvents cloudEvents;
    private final OutboxRelay outboxRelay;
    private final Clock clock;

    FeedbackController(ReactiveMongoTemplate mongo, CloudEvents cloudEvents, OutboxRelay outboxRelay, Clock clock) {
        this.mongo = mongo;
        this.cloudEvents = cloudEvents;
        this.outboxRelay = outboxRelay;
        this.clock = clock;
    }

    @PostMapping("/api/feedback")
    Mono<ResponseEntity<FeedbackView>> receive(@Valid @RequestBody NewFeedback body) {
        return mongo.findById(body.requestId(), KnownRequest.class)
                .switchIfEmpty(Mono.error(() -> Problems.notFound("No routed request " + body.requestId()
                        + " is known to feedback-service; feedback needs the department that handled it.")))
                .flatMap(request -> {
                    String id = UUID.randomUUID().toString();
                    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
                    CloudEvent event = cloudEvents.create(FeedbackReceived.TYPE, request.id(),
                            new FeedbackReceived(id, request.id(), request.department(), request.serviceCode(),
                                    body.source(), body.satisfaction(), body.resolved(), now));
                    return mongo.insert(new Feedback(id, request.id(), request.department(), request.serviceCode(),
                            body.source(), body.satisfaction(), body.resolved(), body.comment(), now,
                            List.of(PendingEvent.of(FEEDBACK_TOPIC, event, cloudEvents))));
                })
                .doOnSuccess(stored -> outboxRelay.wakeUp())
                .map(stored -> ResponseEntity.created(URI.create("/api/feedback/" + stored.id()))
                        .body(FeedbackView.of(stored)));
    }

    record NewFeedback(
            @NotBlank @Size(max = 64) String requestId,
            @NotNull @Min(1) @Max(5) Integer satisfaction,
            @NotNull @Pattern(regexp = "phone|comment_card", message = "phone or comment_card") String source,
            Boolean resolved,
            @Size(max = 2000) String comment) {
    }

    record FeedbackView(String id, String requestId, String department, String serviceCode, String source,
            int satisfaction, Boolean resolved, String comment, Instant receivedAt) {

        static FeedbackView of(Feedback feedback) {
            return new FeedbackView(feedback.id(), feedback.requestId(), feedback.department(),
                    feedback.serviceCode(), feedback.source(), feedback.satisfaction(), feedback.resolved(),
                    feedback.comment(), feedback.receivedAt());
        }
    }
}
