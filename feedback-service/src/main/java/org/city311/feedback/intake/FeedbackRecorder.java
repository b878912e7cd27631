package org.city311.feedback.intake;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import reactor.core.publisher.Mono;

import org.city311.contracts.Topics;
import org.city311.feedback.followup.FollowUp;
import org.city311.feedback.followup.FollowUpEvents;
import org.city311.feedback.followup.FollowUpPolicy;
import org.city311.feedback.requests.KnownRequest;
import org.city311.platform.events.CloudEvents;
import org.city311.platform.outbox.OutboxRelay;
import org.city311.platform.outbox.PendingEvent;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * Stores a piece of feedback from any source with the request's department, service, channel and segment, opens a
 * follow-up when it is negative, and leaves feedback-received (and followup-opened) to the outbox: all in one insert.
 */
@Component
public class FeedbackRecorder {

    private final ReactiveMongoTemplate mongo;
    private final CloudEvents cloudEvents;
    private final OutboxRelay outboxRelay;
    private final FollowUpPolicy followUps;
    private final Clock clock;

    FeedbackRecorder(ReactiveMongoTemplate mongo, CloudEvents cloudEvents, OutboxRelay outboxRelay,
            FollowUpPolicy followUps, Clock clock) {
        this.mongo = mongo;
        this.cloudEvents = cloudEvents;
        this.outboxRelay = outboxRelay;
        this.followUps = followUps;
        this.clock = clock;
    }

    /**
     * What was said about a request.
     *
     * @param feedbackId null for a new random id; a survey response passes one derived from its survey, so that a
     *        second response is refused by the store ({@link org.springframework.dao.DuplicateKeyException})
     * @param resolutionSequence the resolution it answers; null to take the request's current one, if resolved
     */
    public record Entry(String feedbackId, KnownRequest request, String source, int satisfaction, Boolean resolved,
            Integer ease, Feedback.Scores scores, String comment, Long resolutionSequence, String surveyId,
            String auditor, String takenBy) {
    }

    public Mono<Feedback> record(Entry entry) {
        return Mono.defer(() -> {
            KnownRequest request = entry.request();
            String id = entry.feedbackId() != null ? entry.feedbackId() : UUID.randomUUID().toString();
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            Long resolution = entry.resolutionSequence() != null ? entry.resolutionSequence()
                    : request.currentResolution();
            FollowUp followUp = followUps.assess(entry.source(), entry.satisfaction(), entry.resolved(),
                    entry.scores() == null ? null : entry.scores().mean(), request.department(), now).orElse(null);
            Feedback feedback = new Feedback(id, request.id(), request.department(), request.serviceCode(),
                    entry.source(), entry.satisfaction(), entry.resolved(), entry.ease(), entry.scores(),
                    entry.comment(), request.channel(), request.segment(), resolution, entry.surveyId(),
                    entry.auditor(), now, followUp, List.of());
            List<PendingEvent> events = new ArrayList<>();
            events.add(PendingEvent.of(Topics.FEEDBACK, cloudEvents.create(FeedbackReceived.TYPE, request.id(),
                    FeedbackReceived.of(feedback), entry.takenBy()), cloudEvents));
            if (followUp != null) {
                events.add(PendingEvent.of(Topics.FEEDBACK, cloudEvents.create(FollowUpEvents.FollowUpOpened.TYPE,
                        request.id(), followUps.opened(followUp, request.id(), request.department(),
                                request.serviceCode())), cloudEvents));
            }
            return mongo.insert(feedback.withOutbox(events));
        }).doOnSuccess(stored -> {
            outboxRelay.wakeUp(Feedback.COLLECTION, stored.id(), stored.outbox());
            if (stored.followUp() != null) {
                followUps.stored(stored.followUp());
            }
        });
    }

    /** Whether a piece of feedback of this id is stored (a survey's response, say). */
    public Mono<Boolean> exists(String feedbackId) {
        return mongo.exists(Query.query(Criteria.where("_id").is(feedbackId)), Feedback.class);
    }
}
