package org.city311.feedback.survey;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.city311.feedback.requests.KnownRequest;
import org.city311.feedback.requests.RequestMovedOn;
import org.city311.feedback.requests.RequestResolved;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Invites the customer when a request is resolved, and keeps its survey window. Runs on the Kafka consumer's thread
 * (the events are published there, synchronously), so a failure here has the routing event redelivered; and every
 * step is idempotent, so a redelivery has no second effect:
 * <ul>
 * <li>one invitation per request, whose id is the request id: not sent again when a reopened request is resolved
 * again, unless the department is listed in {@code city311.surveys.resend-after-reopen} (then one per resolution);
 * an invitation still unanswered then asks about the new resolution instead, its window starting again;</li>
 * <li>one window per request, following its newest resolution, ended when anything else happens to the request.</li>
 * </ul>
 * A first resolution costs a write of the invitation and one of the window, and no read.
 */
@Component
class SurveyInvitations {

    private static final Logger log = LoggerFactory.getLogger(SurveyInvitations.class);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);

    private final ReactiveMongoTemplate mongo;
    private final SurveyProperties properties;
    private final Sampling sampling;
    private final Clock clock;

    SurveyInvitations(ReactiveMongoTemplate mongo, SurveyProperties properties, Clock clock) {
        this.mongo = mongo;
        this.properties = properties;
        this.sampling = new Sampling(properties.sampling());
        this.clock = clock;
    }

    @EventListener
    void on(RequestResolved resolved) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Optional<Survey> survey = invite(resolved, now.plus(properties.window()));
        Instant endsAt = survey.map(Survey::expiresAt).orElse(now.plus(properties.window()));
        openWindow(resolved, now, endsAt, survey.map(Survey::id).orElse(null));
    }

    /**
     * Anything but a resolution ends the window of the resolution before it: no survey-expired for that one. The
     * window is removed (the collection holds the windows still to end); one whose survey-expired is still to be
     * published stays until it is, and one still open with it (resolved again meanwhile) is marked moved on.
     */
    @EventListener
    void on(RequestMovedOn movedOn) {
        Query older = Query.query(Criteria.where("_id").is(movedOn.requestId()).and("resolutionSequence")
                .lt(movedOn.sequence()).and("outbox.0").exists(false));
        if (mongo.remove(older, SurveyWindow.class).block(STORE_TIMEOUT).getDeletedCount() > 0) {
            return;
        }
        Query openAndOlder = Query.query(Criteria.where("_id").is(movedOn.requestId()).and("status")
                .is(SurveyWindow.OPEN).and("resolutionSequence").lt(movedOn.sequence()));
        mongo.updateFirst(openAndOlder, new Update().set("status", SurveyWindow.MOVED_ON)
                        .set("endedAt", clock.instant().truncatedTo(ChronoUnit.MILLIS)), SurveyWindow.class)
                .block(STORE_TIMEOUT);
    }

    /**
     * The invitation that asks about this resolution, new or already there; none if not surveyed. Found by its id
     * (the request's): a first resolution's is simply made (a redelivery finds it made); the list of a request's
     * invitations is read only where one per resolution may exist ({@code resend-after-reopen}).
     */
    private Optional<Survey> invite(RequestResolved resolved, Instant expiresAt) {
        if (!sampling.sampled(resolved.serviceCode(), resolved.requestId())) {
            log.debug("{} ({}) is not in the survey sample", resolved.requestId(), resolved.serviceCode());
            return Optional.empty();
        }
        if (resolved.neverResolvedBefore()) {
            Optional<Survey> made = insert(resolved.requestId(), resolved, expiresAt);
            if (made.isPresent()) {
                return made;
            }
        }
        Survey first = mongo.findById(resolved.requestId(), Survey.class).block(STORE_TIMEOUT);
        if (first == null) {
            return Optional.ofNullable(insert(resolved.requestId(), resolved, expiresAt)
                    .orElseGet(() -> mongo.findById(resolved.requestId(), Survey.class).block(STORE_TIMEOUT)));
        }
        if (first.resolutionSequence() == resolved.sequence()) {
            return Optional.of(first);
        }
        if (first.open()) {
            return Optional.ofNullable(followNewResolution(first, resolved, expiresAt));
        }
        if (properties.resendAfterReopen().isEmpty()) {
            log.debug("{} was surveyed before; no department surveys again after a reopen", resolved.requestId());
            return Optional.empty();
        }
        List<Survey> existing = mongo.find(Query.query(Criteria.where("requestId").is(resolved.requestId())),
                Survey.class).collectList().block(STORE_TIMEOUT);
        Optional<Survey> forThisResolution = existing.stream()
                .filter(survey -> survey.resolutionSequence() == resolved.sequence()).findFirst();
        if (forThisResolution.isPresent()) {
            return forThisResolution;
        }
        Optional<Survey> unanswered = existing.stream().filter(Survey::open).findFirst();
        if (unanswered.isPresent()) {
            return Optional.ofNullable(followNewResolution(unanswered.get(), resolved, expiresAt));
        }
        if (properties.resendAfterReopen().contains(resolved.department())) {
            String id = resolved.requestId() + "-" + resolved.sequence();
            return Optional.ofNullable(insert(id, resolved, expiresAt)
                    .orElseGet(() -> mongo.findById(id, Survey.class).block(STORE_TIMEOUT)));
        }
        log.debug("{} was surveyed before; {} does not survey again after a reopen", resolved.requestId(),
                resolved.department());
        return Optional.empty();
    }

    private Survey followNewResolution(Survey survey, RequestResolved resolved, Instant expiresAt) {
        Query stillUnanswered = Query.query(Criteria.where("_id").is(survey.id()).and("status").in(Survey.OPEN)
                .and("resolutionSequence").lt(resolved.sequence()));
        return mongo.findAndModify(stillUnanswered, new Update().set("resolutionSequence", resolved.sequence())
                        .set("department", resolved.department()).set("expiresAt", expiresAt),
                FindAndModifyOptions.options().returnNew(true), Survey.class).block(STORE_TIMEOUT);
    }

    /** A new invitation of that id; empty if there is one already. */
    private Optional<Survey> insert(String id, RequestResolved resolved, Instant expiresAt) {
        // who asked, as known before the resolution (the resolution does not change it)
        KnownRequest request = resolved.before();
        boolean internal = request != null && "internal".equals(request.segment());
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        // until an e-mail goes out, the way to reach a resident is a phone call by staff; the link's secret is
        // issued when the invitation is delivered (this one is held by nobody: it keeps the unique index whole)
        Survey survey = new Survey(id, resolved.requestId(), SurveyTokens.hash(SurveyTokens.generate()),
                Survey.PENDING_DELIVERY, internal ? Survey.INTERNAL : Survey.PHONE, resolved.department(),
                resolved.serviceCode(), resolved.sequence(), now, expiresAt, 0, null, null, null, null, null,
                Survey.Requester.of(request));
        try {
            return Optional.of(mongo.insert(survey).block(STORE_TIMEOUT));
        }
        catch (DuplicateKeyException made) {
            return Optional.empty();
        }
    }

    private void openWindow(RequestResolved resolved, Instant now, Instant endsAt, String surveyId) {
        Query olderOrNone = Query.query(Criteria.where("_id").is(resolved.requestId()).and("resolutionSequence")
                .lt(resolved.sequence()));
        Update window = new Update().set("department", resolved.department())
                .set("serviceCode", resolved.serviceCode()).set("resolutionSequence", resolved.sequence())
                .set("openedAt", now).set("endsAt", endsAt).set("status", SurveyWindow.OPEN)
                .set("surveyId", surveyId).unset("endedAt");
        try {
            mongo.upsert(olderOrNone, window, SurveyWindow.class).block(STORE_TIMEOUT);
        }
        catch (DuplicateKeyException sameOrNewerOpened) {
            log.debug("The window of {} already follows resolution {} or a newer one", resolved.requestId(),
                    resolved.sequence());
        }
    }
}
