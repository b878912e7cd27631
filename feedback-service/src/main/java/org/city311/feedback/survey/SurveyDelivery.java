package org.city311.feedback.survey;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.city311.feedback.requests.KnownRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Hands new invitations to the {@link SurveyNotifier}, off the Kafka consumer's thread (mail and request-service
 * may be slow). Each invitation is claimed first by a conditional update, so it is handed over once even with several
 * instances; one whose delivery was cut short stays {@code pending_delivery}, for staff to run by phone.
 */
@Component
class SurveyDelivery implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(SurveyDelivery.class);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);
    private static final int BATCH = 50;
    /**
     * request-created and request-resolved come from two topics, in no guaranteed order: an invitation waits this long
     * for who asked (resident or internal) to be known, then goes out as a resident's.
     */
    private static final Duration WAIT_FOR_SEGMENT = Duration.ofMinutes(1);

    private final ReactiveMongoTemplate mongo;
    private final SurveyNotifier notifier;
    private final SurveyProperties properties;
    private final Clock clock;

    SurveyDelivery(ReactiveMongoTemplate mongo, SurveyNotifier notifier, SurveyProperties properties, Clock clock) {
        this.mongo = mongo;
        this.notifier = notifier;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::deliverNew, properties.deliveryInterval());
    }

    void deliverNew() {
        try {
            Query oldestFirst = neverHandedOver().with(Sort.by("createdAt")).limit(BATCH);
            List<Survey> undelivered = mongo.find(oldestFirst, Survey.class).collectList()
                    .block(STORE_TIMEOUT);
            for (Survey survey : undelivered) {
                KnownRequest request = mongo.findById(survey.requestId(), KnownRequest.class).block(STORE_TIMEOUT);
                boolean segmentKnown = request != null && request.segment() != null;
                if (!segmentKnown && survey.createdAt().plus(WAIT_FOR_SEGMENT).isAfter(clock.instant())) {
                    continue;
                }
                Survey claimed = mongo.findAndModify(neverHandedOver().addCriteria(Criteria.where("_id")
                                .is(survey.id())), new Update().inc("deliveryAttempts", 1),
                        FindAndModifyOptions.options().returnNew(true), Survey.class).block(STORE_TIMEOUT);
                if (claimed != null) {
                    deliver(claimed, request);
                }
            }
        }
        catch (RuntimeException ex) {
            log.warn("Could not deliver survey invitations ({}); next try in {}", ex.getMessage(),
                    properties.deliveryInterval());
        }
    }

    private void deliver(Survey survey, KnownRequest request) {
        SurveyNotifier.Invitation invitation = new SurveyNotifier.Invitation(survey.id(), survey.requestId(),
                survey.department(), survey.serviceCode(), request == null ? null : request.segment(),
                request == null ? null : request.requestingDepartment(),
                properties.baseUrl() + "/surveys/" + survey.token(), survey.expiresAt());
        SurveyNotifier.Delivery delivery = notifier.deliver(invitation);
        Update outcome = new Update().set("status", delivery.status).set("channel", delivery.channel);
        if (Survey.SENT.equals(delivery.status)) {
            outcome.set("deliveredAt", clock.instant().truncatedTo(ChronoUnit.MILLIS));
        }
        // answered meanwhile (by phone, say): that stays
        mongo.updateFirst(Query.query(Criteria.where("_id").is(survey.id()).and("status").is(Survey.PENDING_DELIVERY)),
                outcome, Survey.class).block(STORE_TIMEOUT);
    }

    private Query neverHandedOver() {
        Instant now = clock.instant();
        return Query.query(Criteria.where("status").is(Survey.PENDING_DELIVERY).and("deliveryAttempts").is(0)
                .and("expiresAt").gt(now));
    }
}
