package org.city311.feedback.survey;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.city311.feedback.requests.KnownRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.ReactiveBulkOperations;
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
 * <p>
 * <b>What it reads.</b> The invitations this instance made are announced to it ({@link #wakeUp}); every
 * {@code city311.surveys.delivery-interval} it reads those whose time has come by {@code _id} (the unique index of
 * any store), and keeps in memory when to look at each again (a retry, a claim's lease, a requester still unknown)
 * until it is handed over. With nothing waiting, it reads nothing. A full sweep (every undelivered invitation due)
 * runs at start and every {@code city311.surveys.full-sweep-interval}, for the invitations another instance made and
 * did not hand over (it stopped) and the claims whose instance died.
 */
@Component
class SurveyDelivery implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(SurveyDelivery.class);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);
    private static final int BATCH = 50;
    /** Invitations remembered as waiting. Beyond, an announcement asks for a full sweep instead. */
    static final int MAX_TRACKED = 100_000;
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
    /** Invitation id → when to read it again (the service's clock), oldest announcement first. */
    private final Map<String, Instant> waiting = new LinkedHashMap<>();
    private final AtomicBoolean sweepDue = new AtomicBoolean(true);
    /** When the last full sweep began; null before the first. */
    private volatile Instant lastSweep;

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

    /** These invitations were just made (or were found made): they are handed over at the next tick. */
    void wakeUp(Collection<String> surveyIds) {
        synchronized (waiting) {
            for (String id : surveyIds) {
                if (waiting.size() >= MAX_TRACKED && !waiting.containsKey(id)) {
                    sweepDue.set(true);
                    return;
                }
                waiting.put(id, Instant.MIN);
            }
        }
    }

    void deliverDue() {
        try {
            Instant now = clock.instant();
            if (sweepDue.get() || lastSweep == null || !now.isBefore(lastSweep.plus(properties.fullSweepInterval()))) {
                sweep(now);
            }
            List<String> due = take(now);
            if (due.isEmpty()) {
                return;
            }
            // read by _id alone; whether each is still due is decided here
            List<Survey> read = mongo.find(Query.query(Criteria.where("_id").in(due)).with(Sort.by("createdAt")),
                    Survey.class).collectList().block(STORE_TIMEOUT);
            deliverIfDue(read, now);
        }
        catch (RuntimeException ex) {
            log.warn("Could not deliver survey invitations ({}); next try in {}", ex.getMessage(),
                    properties.deliveryInterval());
        }
    }

    /** Every undelivered invitation due now, from the store: remembered, to be read by id. */
    private void sweep(Instant now) {
        sweepDue.set(false);
        try {
            List<String> found = mongo.find(due(now).with(Sort.by("createdAt")), Survey.class).map(Survey::id)
                    .collectList().block(STORE_TIMEOUT);
            wakeUp(found);
            lastSweep = now;
        }
        catch (RuntimeException ex) {
            sweepDue.set(true);
            throw ex;
        }
    }

    /** Up to a batch of the invitations whose time has come, taken out of {@link #waiting}. */
    private List<String> take(Instant now) {
        List<String> due = new ArrayList<>();
        synchronized (waiting) {
            for (Iterator<Map.Entry<String, Instant>> it = waiting.entrySet().iterator(); it.hasNext()
                    && due.size() < BATCH;) {
                Map.Entry<String, Instant> entry = it.next();
                if (!entry.getValue().isAfter(now)) {
                    due.add(entry.getKey());
                    it.remove();
                }
            }
        }
        return due;
    }

    /** Looks at this one again at that time (after any other waiting). */
    private void again(String surveyId, Instant at) {
        synchronized (waiting) {
            waiting.remove(surveyId);
            waiting.put(surveyId, at);
        }
    }

    /** A survey to hand over, its request as known, and the secret of the link its claim issues. */
    private record Claim(Survey survey, KnownRequest request, SurveyLinks.Secret secret) {
    }

    /**
     * Hands over those of a batch still due, with a few store commands whatever the batch's size: their requests read
     * at once, every claim in one bulk write, the claimed read back at once (a claim is this instance's where the
     * survey holds the hash of the secret it issued: another instance's claim, or an answer, won the others), every
     * outcome in one bulk write. A crash after the notifier was called and before the outcomes are written leaves
     * those claims to be taken up again when their lease ends (an invitation sent twice, the first link revoked), as
     * one survey's delivery did before it was batched.
     */
    private void deliverIfDue(List<Survey> surveys, Instant now) {
        List<Survey> due = new ArrayList<>();
        for (Survey survey : surveys) {
            if (!Survey.PENDING_DELIVERY.equals(survey.status()) || !survey.expiresAt().isAfter(now)) {
                continue; // handed over, answered or expired: nothing more to do
            }
            if (survey.deliveryAttempts() > 0 && survey.retryAt() == null) {
                continue; // left to staff, by phone
            }
            if (survey.deliveryAttempts() > 0 && survey.retryAt().isAfter(now)) {
                again(survey.id(), survey.retryAt()); // a retry to come, or another instance's claim
                continue;
            }
            due.add(survey);
        }
        if (due.isEmpty()) {
            return;
        }
        Map<String, KnownRequest> requests = new HashMap<>();
        mongo.find(Query.query(Criteria.where("_id").in(due.stream().map(Survey::requestId).distinct().toList())),
                KnownRequest.class).doOnNext(request -> requests.put(request.id(), request)).blockLast(STORE_TIMEOUT);
        List<Claim> claims = new ArrayList<>();
        for (Survey survey : due) {
            KnownRequest request = requests.get(survey.requestId());
            boolean segmentKnown = request != null && request.segment() != null;
            if (!segmentKnown && survey.createdAt().plus(WAIT_FOR_SEGMENT).isAfter(now)) {
                again(survey.id(), now); // looked at again at the next tick
                continue;
            }
            // The claim issues the link's secret in the same write: only the notifier ever holds it.
            claims.add(new Claim(survey, request, links.fresh()));
        }
        if (claims.isEmpty()) {
            return;
        }
        Instant claimedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        var claiming = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, Survey.class);
        for (Claim claim : claims) {
            claiming.updateOne(due(clock.instant()).addCriteria(Criteria.where("_id").is(claim.survey().id())
                            .and("deliveryAttempts").is(claim.survey().deliveryAttempts())),
                    claim.secret().update().inc("deliveryAttempts", 1).set("retryAt", claimedAt.plus(LEASE)));
        }
        claiming.execute().block(STORE_TIMEOUT);
        // claimed here, or by another instance meanwhile: looked at again once the lease ends, should it die
        claims.forEach(claim -> again(claim.survey().id(), claimedAt.plus(LEASE)));
        Map<String, Survey> claimed = new HashMap<>();
        mongo.find(Query.query(Criteria.where("_id").in(claims.stream().map(claim -> claim.survey().id()).toList())),
                Survey.class).doOnNext(survey -> claimed.put(survey.id(), survey)).blockLast(STORE_TIMEOUT);
        var outcomes = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, Survey.class);
        List<Runnable> afterwards = new ArrayList<>();
        for (Claim claim : claims) {
            Survey mine = claimed.get(claim.survey().id());
            if (mine != null && claim.secret().hash().equals(mine.tokenHash())) {
                afterwards.add(deliver(mine, claim.request(), claim.secret().url(), outcomes));
            }
        }
        if (!afterwards.isEmpty()) {
            outcomes.execute().block(STORE_TIMEOUT);
            afterwards.forEach(Runnable::run);
        }
    }

    /**
     * Hands one claimed survey to the notifier and adds the outcome's write to {@code outcomes}; what to remember of
     * it once that is written is returned.
     */
    private Runnable deliver(Survey survey, KnownRequest request, String url, ReactiveBulkOperations outcomes) {
        SurveyNotifier.Invitation invitation = new SurveyNotifier.Invitation(survey.id(), survey.requestId(),
                survey.department(), survey.serviceCode(), request == null ? null : request.segment(),
                request == null ? null : request.requestingDepartment(), url, survey.expiresAt());
        SurveyNotifier.Delivery delivery = notifier.deliver(invitation);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Update outcome;
        Instant retryAt = null;
        if (delivery == SurveyNotifier.Delivery.RETRY
                && now.isBefore(survey.createdAt().plus(properties.mail().contactWait()))) {
            retryAt = now.plus(pauseAfter(survey.deliveryAttempts()));
            outcome = new Update().set("retryAt", retryAt);
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
        outcomes.updateOne(Query.query(Criteria.where("_id").is(survey.id()).and("status").is(Survey.PENDING_DELIVERY)),
                outcome);
        Instant next = retryAt;
        return () -> {
            if (next != null) {
                again(survey.id(), next);
            }
            else {
                synchronized (waiting) {
                    waiting.remove(survey.id());
                }
            }
        };
    }

    /** 10 s, 20 s, 40 s ... up to 2 minutes between attempts. */
    static Duration pauseAfter(int attempts) {
        Duration pause = FIRST_PAUSE.multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), 10));
        return pause.compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause;
    }

    /** Never handed over, or due for another attempt; still answerable. */
    private static Query due(Instant now) {
        return Query.query(Criteria.where("status").is(Survey.PENDING_DELIVERY).and("expiresAt").gt(now)
                .orOperator(Criteria.where("deliveryAttempts").is(0), Criteria.where("retryAt").lte(now)));
    }
}
