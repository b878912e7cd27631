package org.city311.feedback.survey;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.mongodb.bulk.BulkWriteResult;

import org.city311.feedback.requests.RequestChange;
import org.city311.feedback.requests.RequestMovedOn;
import org.city311.feedback.requests.RequestResolved;
import org.city311.feedback.requests.RequestsChanged;
import org.city311.feedback.store.BulkWrites;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.BulkOperations.BulkMode;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveBulkOperations;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Invites the customer when a request is resolved, and keeps its survey window. Runs on the Kafka consumer's thread
 * (the changes are published there, synchronously, a batch of routing events at a time), so a failure here has the
 * batch redelivered; and every step is idempotent, so a redelivery has no second effect:
 * <ul>
 * <li>one invitation per request, whose id is the request id: not sent again when a reopened request is resolved
 * again, unless the department is listed in {@code city311.surveys.resend-after-reopen} (then one per resolution);
 * an invitation still unanswered then asks about the new resolution instead, its window starting again;</li>
 * <li>one window per request, following its newest resolution, ended when anything else happens to the request.</li>
 * </ul>
 * A batch's changes are planned in memory ({@link InvitationPlan}) and written with one command per kind of write:
 * the new invitations with one insert, the invitations that follow a newer resolution with one update (after one
 * read, by id, of the invitations of the requests resolved before), the windows ended with one delete, the windows
 * opened with one update. Only when the store says otherwise than the plan assumed (an invitation already made: a
 * redelivery; one answered meanwhile) is there a read more, or, for those requests alone, the changes one at a time.
 */
@Component
class SurveyInvitations {

    private static final Logger log = LoggerFactory.getLogger(SurveyInvitations.class);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);

    private final ReactiveMongoTemplate mongo;
    private final SurveyProperties properties;
    private final Sampling sampling;
    private final InvitationPlan planner;
    private final Clock clock;
    private final SurveyDelivery delivery;
    private final SurveyWindows windowSweep;

    SurveyInvitations(ReactiveMongoTemplate mongo, SurveyProperties properties, Clock clock, SurveyDelivery delivery,
            SurveyWindows windowSweep) {
        this.mongo = mongo;
        this.delivery = delivery;
        this.windowSweep = windowSweep;
        this.properties = properties;
        this.sampling = new Sampling(properties.sampling());
        this.planner = new InvitationPlan(sampling, !properties.resendAfterReopen().isEmpty(), properties.window());
        this.clock = clock;
    }

    @EventListener
    void on(RequestsChanged changed) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Map<String, List<RequestChange>> chains = InvitationPlan.byRequest(changed.changes());
        InvitationPlan.Plan plan = planner.plan(chains, stored(planner.toRead(chains)), now);
        Set<String> slow = new LinkedHashSet<>(plan.slow());
        List<InvitationPlan.Follow> follows = new ArrayList<>(plan.follows());
        Map<String, InvitationPlan.WindowChange> windows = new LinkedHashMap<>(plan.windows());

        Set<String> made = insert(plan.inserts());
        if (!made.isEmpty()) {
            // already made (a redelivery, or a batch cut short): plan those again from what is stored
            Map<String, List<RequestChange>> again = new LinkedHashMap<>(chains);
            again.keySet().retainAll(made);
            InvitationPlan.Plan replanned = planner.plan(again, stored(made), now);
            windows.keySet().removeAll(made);
            windows.putAll(replanned.windows());
            follows.addAll(replanned.follows());
            slow.addAll(replanned.slow());
            slow.addAll(insert(replanned.inserts()));
        }
        slow.addAll(follow(follows));
        windows.keySet().removeAll(slow);
        writeWindows(windows.values(), now);
        for (String requestId : slow) {
            chains.get(requestId).forEach(change -> {
                if (change instanceof RequestResolved resolved) {
                    one(resolved);
                }
                else {
                    one((RequestMovedOn) change);
                }
            });
        }
    }

    /** The invitation stored for each of these requests (one read), empty if none. */
    private Map<String, Optional<Survey>> stored(Set<String> requestIds) {
        Map<String, Optional<Survey>> stored = new LinkedHashMap<>();
        if (requestIds.isEmpty()) {
            return stored;
        }
        requestIds.forEach(id -> stored.put(id, Optional.empty()));
        mongo.find(Query.query(Criteria.where("_id").in(requestIds)), Survey.class).collectList()
                .block(STORE_TIMEOUT).forEach(survey -> stored.put(survey.id(), Optional.of(survey)));
        return stored;
    }

    /** Inserts new invitations with one command; returns the requests whose invitation was there already. */
    private Set<String> insert(List<Survey> surveys) {
        if (surveys.isEmpty()) {
            return Set.of();
        }
        ReactiveBulkOperations bulk = mongo.bulkOps(BulkMode.UNORDERED, Survey.class).insert(surveys);
        Set<String> made = new LinkedHashSet<>();
        BulkWrites.execute(bulk, STORE_TIMEOUT).duplicates().forEach(index -> made.add(surveys.get(index)
                .requestId()));
        // those already made too: one that a batch cut short never handed over is handed over now
        delivery.wakeUp(surveys.stream().map(Survey::id).toList());
        surveys.forEach(survey -> windowSweep.expect(survey.expiresAt()));
        return made;
    }

    /**
     * Has stored, unanswered invitations ask about newer resolutions, with one command; returns the requests whose
     * invitation was no longer open (answered or expired meanwhile): their changes are done again one at a time.
     */
    private Set<String> follow(List<InvitationPlan.Follow> follows) {
        if (follows.isEmpty()) {
            return Set.of();
        }
        ReactiveBulkOperations bulk = mongo.bulkOps(BulkMode.UNORDERED, Survey.class);
        follows.forEach(follow -> bulk.updateOne(Query.query(Criteria.where("_id").is(follow.surveyId())
                .and("status").in(Survey.OPEN).and("resolutionSequence").lt(follow.resolutionSequence())),
                new Update().set("resolutionSequence", follow.resolutionSequence())
                        .set("department", follow.department()).set("expiresAt", follow.expiresAt())));
        BulkWriteResult followed = BulkWrites.execute(bulk, STORE_TIMEOUT).result();
        follows.forEach(follow -> windowSweep.expect(follow.expiresAt()));
        if (followed.getMatchedCount() == follows.size()) {
            return Set.of();
        }
        Map<String, Optional<Survey>> now = stored(new LinkedHashSet<>(follows.stream()
                .map(InvitationPlan.Follow::surveyId).toList()));
        Set<String> refused = new LinkedHashSet<>();
        follows.stream().filter(follow -> now.get(follow.surveyId()).map(Survey::resolutionSequence)
                .filter(sequence -> sequence == follow.resolutionSequence()).isEmpty())
                .forEach(follow -> refused.add(follow.requestId()));
        return refused;
    }

    /**
     * Ends windows with one delete (and, if some were not removed, marks those still open moved on), and opens
     * windows with one update, an upsert each over an older resolution's window; one of the same resolution or a
     * newer one is left as it is.
     */
    private void writeWindows(Collection<InvitationPlan.WindowChange> windows, Instant now) {
        List<InvitationPlan.EndWindow> ends = windows.stream().filter(InvitationPlan.EndWindow.class::isInstance)
                .map(InvitationPlan.EndWindow.class::cast).toList();
        boolean someLeft = false;
        if (!ends.isEmpty()) {
            ReactiveBulkOperations removals = mongo.bulkOps(BulkMode.UNORDERED, SurveyWindow.class);
            // the collection holds the windows still to end; one whose survey-expired is still to be published
            // stays until it is
            ends.forEach(end -> removals.remove(Query.query(Criteria.where("_id").is(end.requestId())
                    .and("resolutionSequence").lt(end.sequence()).and("outbox.0").exists(false))));
            someLeft = BulkWrites.execute(removals, STORE_TIMEOUT).result().getDeletedCount() < ends.size();
        }
        ReactiveBulkOperations updates = mongo.bulkOps(BulkMode.UNORDERED, SurveyWindow.class);
        int statements = 0;
        List<Instant> opened = new ArrayList<>();
        for (InvitationPlan.WindowChange change : windows) {
            if (change instanceof InvitationPlan.OpenWindow open) {
                updates.upsert(Query.query(Criteria.where("_id").is(open.requestId()).and("resolutionSequence")
                        .lt(open.resolutionSequence())), new Update().set("department", open.department())
                        .set("serviceCode", open.serviceCode()).set("resolutionSequence", open.resolutionSequence())
                        .set("openedAt", open.openedAt()).set("endsAt", open.endsAt())
                        .set("status", SurveyWindow.OPEN).set("surveyId", open.surveyId()).unset("endedAt"));
                statements++;
                opened.add(open.endsAt());
            }
            else if (someLeft && change instanceof InvitationPlan.EndWindow end) {
                // not removed: still to be published, or there was none; one still open is marked moved on
                updates.updateOne(Query.query(Criteria.where("_id").is(end.requestId()).and("status")
                        .is(SurveyWindow.OPEN).and("resolutionSequence").lt(end.sequence())),
                        new Update().set("status", SurveyWindow.MOVED_ON).set("endedAt", now));
                statements++;
            }
        }
        if (statements > 0) {
            Set<Integer> sameOrNewer = BulkWrites.execute(updates, STORE_TIMEOUT).duplicates();
            if (!sameOrNewer.isEmpty()) {
                log.debug("{} windows already follow the same resolution or a newer one", sameOrNewer.size());
            }
            opened.forEach(windowSweep::expect);
        }
    }

    /** A resolution on its own, with the store (see {@link InvitationPlan}: the requests it leaves to it). */
    private void one(RequestResolved resolved) {
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
    private void one(RequestMovedOn movedOn) {
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
        Survey followed = mongo.findAndModify(stillUnanswered, new Update()
                        .set("resolutionSequence", resolved.sequence()).set("department", resolved.department())
                        .set("expiresAt", expiresAt),
                FindAndModifyOptions.options().returnNew(true), Survey.class).block(STORE_TIMEOUT);
        windowSweep.expect(expiresAt);
        return followed;
    }

    /** A new invitation of that id; empty if there is one already. */
    private Optional<Survey> insert(String id, RequestResolved resolved, Instant expiresAt) {
        Survey survey = InvitationPlan.invitation(id, resolved, clock.instant().truncatedTo(ChronoUnit.MILLIS),
                expiresAt);
        try {
            Survey made = mongo.insert(survey).block(STORE_TIMEOUT);
            windowSweep.expect(survey.expiresAt());
            return Optional.of(made);
        }
        catch (DuplicateKeyException made) {
            return Optional.empty();
        }
        finally {
            delivery.wakeUp(List.of(id));
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
            windowSweep.expect(endsAt);
        }
        catch (DuplicateKeyException sameOrNewerOpened) {
            log.debug("The window of {} already follows resolution {} or a newer one", resolved.requestId(),
                    resolved.sequence());
        }
    }
}
