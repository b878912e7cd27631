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
 * may be slow). Each delivery is claimed first by a conditional update that also issues the link's secret, so it is
 * handed over once even with several instances. When the resident's contact cannot be known yet (request-service
 * does not show the request resolved yet, or does not answer) it is tried again, with a growing pause, until
 * {@code city311.surveys.mail.contact-wait} after the invitation; then it is left {@code pending_delivery} for staff
 * to run by phone. A claim whose instance died is taken up again once its lease ends.
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
    /** How long a claimed delivery is another instance's before it is tried again (the claimant died). */
    private static final Duration LEASE = Duration.ofMinutes(2);
    private static final Duration FIRST_PAUSE = Duration.ofSeconds(10);
    private static final Duration LONGEST_PAUSE = Duration.ofMinutes(2);

    private final ReactiveMongoTemplate mongo;
    private final SurveyNotifier notifier;
    private final SurveyLinks links;
    private final SurveyProperties properties;
    private final Clock clock;

    SurveyDelivery(ReactiveMongoTemplate mongo, SurveyNotifier notifier, SurveyLinks links,
            SurveyProperties properties, Clock clock) {
        this.mongo = mongo;
        this.notifier = notifier;
        this.links = links;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::deliverDue, properties.deliveryInterval());
    }

    void deliverDue() {
        try {
            Query oldestFirst = due().with(Sort.by("createdAt")).limit(BATCH);
            List<Survey> undelivered = mongo.find(oldestFirst, Survey.class).collectList()
                    .block(STORE_TIMEOUT);
            for (Survey survey : undelivered) {
                KnownRequest request = mongo.findById(survey.requestId(), KnownRequest.class).block(STORE_TIMEOUT);
                boolean segmentKnown = request != null && request.segment() != null;
                if (!segmentKnown && survey.createdAt().plus(WAIT_FOR_SEGMENT).isAfter(clock.instant())) {
                    continue;
                }
                // The claim issues the link's secret in the same write: only the notifier ever holds it.
                SurveyLinks.Secret secret = links.fresh();
                Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
                Survey claimed = mongo.findAndModify(due().addCriteria(Criteria.where("_id").is(survey.id())
                                .and("deliveryAttempts").is(survey.deliveryAttempts())),
                        secret.update().inc("deliveryAttempts", 1).set("retryAt", now.plus(LEASE)),
                        FindAndModifyOptions.options().returnNew(true), Survey.class).block(STORE_TIMEOUT);
                if (claimed != null) {
                    deliver(claimed, request, secret.url());
                }
            }
        }
        catch (RuntimeException ex) {
            log.warn("Could not deliver survey invitations ({}); next try in {}", ex.getMessage(),
                    properties.deliveryInterval());
        }
    }

    private void deliver(Survey survey, KnownRequest request, String url) {
        SurveyNotifier.Invitation invitation = new SurveyNotifier.Invitation(survey.id(), survey.requestId(),
                survey.department(), survey.serviceCode(), request == null ? null : request.segment(),
                request == null ? null : request.requestingDepartment(), url, survey.expiresAt());
        SurveyNotifier.Delivery delivery = notifier.deliver(invitation);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Update outcome;
        if (delivery == SurveyNotifier.Delivery.RETRY
                && now.isBefore(survey.createdAt().plus(properties.mail().contactWait()))) {
            outcome = new Update().set("retryAt", now.plus(pauseAfter(survey.deliveryAttempts())));
        }
        else {
            if (delivery == SurveyNotifier.Delivery.RETRY) {
                log.warn("The contact of request {} could not be known within {} ({} attempts); survey {} left to "
                        + "staff, by phone", survey.requestId(), properties.mail().contactWait(),
                        survey.deliveryAttempts(), survey.id());
                delivery = SurveyNotifier.Delivery.FOR_PHONE;
            }
            outcome = new Update().set("status", delivery.status).set("channel", delivery.channel).unset("retryAt");
            if (Survey.SENT.equals(delivery.status)) {
                outcome.set("deliveredAt", now);
            }
        }
        if (request != null && request.segment() != null) {
            // who asked, as known now (request-created may have come after the invitation was made)
            outcome.set("requester", Survey.Requester.of(request));
        }
        // answered meanwhile (by phone, say): that stays
        mongo.updateFirst(Query.query(Criteria.where("_id").is(survey.id()).and("status").is(Survey.PENDING_DELIVERY)),
                outcome, Survey.class).block(STORE_TIMEOUT);
    }

    /** 10 s, 20 s, 40 s ... up to 2 minutes between attempts. */
    static Duration pauseAfter(int attempts) {
        Duration pause = FIRST_PAUSE.multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), 10));
        return pause.compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause;
    }

    /** Never handed over, or due for another attempt; still answerable. */
    private Query due() {
        Instant now = clock.instant();
        return Query.query(Criteria.where("status").is(Survey.PENDING_DELIVERY).and("expiresAt").gt(now)
                .orOperator(Criteria.where("deliveryAttempts").is(0), Criteria.where("retryAt").lte(now)));
    }
}
