package org.city311.request.status;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.mongodb.bulk.BulkWriteResult;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.city311.request.RequestStatus;
import org.city311.request.ServiceRequest;
import org.city311.request.ServiceRequest.StatusChange;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveBulkOperations;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Follows the department's work on requests, a batch of routing events at a time, with as few store commands as the
 * batch allows: every change of the batch's requests in one bulk write, after one read of what the fold needs
 * ({@link TimelineFold}); a batch about one request (the usual case when the consumer keeps up) is one conditional
 * update instead. Every write is guarded in the store, not only in memory, since another instance may write the
 * same requests during a rebalance: a redelivered event changes nothing, an older event never overwrites the status
 * a newer one set, and a half-written batch that comes again is completed, not applied twice.
 */
@Component
class StatusTimeline {

    private static final Logger log = LoggerFactory.getLogger(StatusTimeline.class);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);
    /** On a linked duplicate: the sequence of its parent's newest event it follows, so none overwrites a newer one. */
    static final String PARENT_SEQUENCE = "parentSequence";

    private final ReactiveMongoTemplate mongo;
    private final Clock clock;

    StatusTimeline(ReactiveMongoTemplate mongo, Clock clock) {
        this.mongo = mongo;
        this.clock = clock;
    }

    /** An internal entry that changes no status (feedback), recorded once whatever the redeliveries. */
    record Note(String requestId, String kind, Instant at, String note, String eventId, String by, String source) {
    }

    /**
     * Writes a batch's routing events, in the order read, to their requests; returns once the store has all of it.
     * One request's events: one conditional update when they are all new and newer than its stored ones (plus one
     * bulk write to its linked duplicates, if it has any); anything else, and several requests' events: one read of
     * the requests and one bulk write.
     */
    void apply(List<RoutingStep> steps) {
        Map<String, List<RoutingStep>> byRequest = new LinkedHashMap<>();
        steps.forEach(step -> byRequest.computeIfAbsent(step.requestId(), id -> new ArrayList<>()).add(step));
        if (byRequest.isEmpty()) {
            return;
        }
        if (byRequest.size() == 1) {
            Map.Entry<String, List<RoutingStep>> only = byRequest.entrySet().iterator().next();
            if (appliedUnseen(only.getKey(), only.getValue())) {
                return;
            }
        }
        applyAsRead(byRequest);
    }

    /**
     * The usual case of one request in one command: none of its events recorded yet, each newer than its stored
     * ones, and it is no linked duplicate; false (nothing written) otherwise.
     */
    private boolean appliedUnseen(String requestId, List<RoutingStep> steps) {
        TimelineFold.Plan plan = TimelineFold.plan(TimelineFold.Stored.unseen(requestId, steps), steps);
        Query unseen = Query.query(Criteria.where("_id").is(requestId)
                .and("history.eventId").nin(steps.stream().map(RoutingStep::eventId).distinct().toList())
                .and("statusSequence").lt(plan.unseenSince()).and("duplicateOf").isNull());
        // what is needed of it afterwards (and its one primitive, for the record to be made), as it was before
        unseen.fields().include("duplicates", "statusSequence");
        Instant recorded = recordedNow();
        ServiceRequest before = mongo.findAndModify(unseen, update(plan, recorded),
                FindAndModifyOptions.options().returnNew(false), ServiceRequest.class).block(STORE_TIMEOUT);
        if (before == null) {
            return false;
        }
        var follows = mongo.bulkOps(BulkOperations.BulkMode.ORDERED, ServiceRequest.class);
        if (follow(follows, plan, before.duplicates(), recorded) > 0) {
            follows.execute().block(STORE_TIMEOUT);
        }
        return true;
    }

    /**
     * Any batch: one read of its requests, then one bulk write of what their events change, each request's update
     * guarded by what was read of it. Should one of them have changed meanwhile (another instance, a link), each
     * event's own guarded updates follow in one more bulk write, one event at a time as before batching.
     */
    private void applyAsRead(Map<String, List<RoutingStep>> byRequest) {
        List<TimelineFold.Plan> plans = new ArrayList<>();
        read(byRequest.keySet()).forEach(document -> {
            plans.add(TimelineFold.plan(stored(document), byRequest.get(document.getString("_id"))));
        });
        if (plans.size() < byRequest.size()) {
            log.debug("{} of {} requests of a batch are not ours; their events change nothing",
                    byRequest.size() - plans.size(), byRequest.size());
        }
        Instant recorded = recordedNow();
        var operations = mongo.bulkOps(BulkOperations.BulkMode.ORDERED, ServiceRequest.class);
        int expected = 0;
        for (TimelineFold.Plan plan : plans) {
            if (plan.writes()) {
                operations.updateOne(Query.query(asRead(plan)), update(plan, recorded));
                expected++;
            }
            expected += follow(operations, plan, plan.stored().duplicates(), recorded);
        }
        if (expected == 0) {
            return; // all of it there already
        }
        BulkWriteResult written = operations.execute().block(STORE_TIMEOUT);
        if (written != null && written.getMatchedCount() >= expected) {
            return; // as planned
        }
        // Some request changed since it was read (or names a duplicate that does not follow it, or a duplicate has
        // this step already): each event again under its own guards, which leave alone what is written.
        var oneByOne = mongo.bulkOps(BulkOperations.BulkMode.ORDERED, ServiceRequest.class);
        Instant again = recordedNow();
        int events = 0;
        for (TimelineFold.Plan plan : plans) {
            for (RoutingStep step : plan.changing()) {
                guarded(oneByOne, step, plan.recorded().contains(step), again);
                events++;
            }
        }
        if (events > 0) {
            log.debug("{} of {} updates of a batch matched: writing its {} events one by one",
                    written == null ? 0 : written.getMatchedCount(), expected, events);
            oneByOne.execute().block(STORE_TIMEOUT);
        }
    }

    /** What the store holds of these requests, as far as the fold needs it, in one read. */
    List<Document> read(Collection<String> requestIds) {
        Query read = Query.query(Criteria.where("_id").in(requestIds));
        read.fields().include("statusSequence", "duplicateOf", "duplicates", "due.firstActionSequence",
                "due.resolutionSequence", "history.eventId");
        return mongo.find(read, Document.class, ServiceRequest.COLLECTION).collectList().block(STORE_TIMEOUT);
    }

    /** Writes the notes, once each, in one bulk write. */
    void notes(List<Note> notes) {
        if (notes.isEmpty()) {
            return;
        }
        Instant recorded = recordedNow();
        var operations = mongo.bulkOps(BulkOperations.BulkMode.ORDERED, ServiceRequest.class);
        for (Note note : notes) {
            StatusChange entry = new StatusChange(null, note.at(), null, note.note(), note.eventId(), recorded,
                    "internal", note.kind(), note.by(), note.source());
            operations.updateOne(Query.query(Criteria.where("_id").is(note.requestId())
                    .and("history.eventId").ne(note.eventId())), new Update().push("history", entry));
        }
        operations.execute().block(STORE_TIMEOUT);
    }

    /** When this service writes a step down: the order in which live streams deliver changes. */
    private Instant recordedNow() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static TimelineFold.Stored stored(Document document) {
        Document due = document.get("due", Document.class);
        Set<String> eventIds = new HashSet<>();
        for (Document entry : document.getList("history", Document.class, List.of())) {
            if (entry.getString("eventId") != null) {
                eventIds.add(entry.getString("eventId"));
            }
        }
        return new TimelineFold.Stored(document.getString("_id"), number(document.get("statusSequence")),
                document.getString("duplicateOf"), document.getList("duplicates", String.class, List.of()),
                due == null ? null : number(due.get("firstActionSequence")),
                due == null ? null : number(due.get("resolutionSequence")), eventIds);
    }

    private static Long number(Object value) {
        return value instanceof Number number ? number.longValue() : null;
    }

    /** The request as it was read: its plan holds only while none of that has changed. */
    private static Criteria asRead(TimelineFold.Plan plan) {
        TimelineFold.Stored stored = plan.stored();
        Criteria criteria = Criteria.where("_id").is(stored.requestId());
        if (!plan.recorded().isEmpty()) {
            criteria = criteria.and("history.eventId").nin(plan.recorded().stream().map(RoutingStep::eventId).toList());
        }
        criteria = equal(criteria, "statusSequence", stored.statusSequence());
        criteria = equal(criteria, "duplicateOf", stored.duplicateOf());
        if (plan.firstAction() != null) {
            criteria = equal(criteria, "due.firstActionSequence", stored.firstActionSequence());
        }
        if (plan.resolution() != null) {
            criteria = equal(criteria, "due.resolutionSequence", stored.resolutionSequence());
        }
        return criteria;
    }

    private static Criteria equal(Criteria criteria, String field, Object value) {
        return value == null ? criteria.and(field).isNull() : criteria.and(field).is(value);
    }

    /** What the plan changes on the request: its timeline steps, then where the request stands. */
    private static Update update(TimelineFold.Plan plan, Instant recorded) {
        Update update = new Update();
        if (!plan.recorded().isEmpty()) {
            update.max("updatedAt", plan.updatedAt());
            update.push("history").each(plan.recorded().stream().flatMap(step -> step.entries(recorded).stream())
                    .toArray());
        }
        if (plan.district() != null) {
            // where the location lies does not change: whichever routed event says so
            update.set("district", plan.district());
        }
        if (plan.newest() != null) {
            update.set("department", plan.newest().department()).set("statusSequence", plan.newest().sequence());
        }
        if (plan.status() != null) {
            update.set("status", plan.status());
        }
        if (plan.firstAction() != null) {
            update.set("due.firstActionDueAt", plan.firstAction().at())
                    .set("due.firstActionSequence", plan.firstAction().sequence());
        }
        if (plan.resolution() != null) {
            update.set("due.resolutionDueAt", plan.resolution().at())
                    .set("due.resolutionSequence", plan.resolution().sequence());
        }
        return update;
    }

    /**
     * The parent's public steps, on each of its linked duplicates (the ones the parent names, and whose
     * {@code duplicateOf} is still it), by their ids: each once, and none older than the one a duplicate shows.
     *
     * @return how many updates were added
     */
    private static int follow(ReactiveBulkOperations operations, TimelineFold.Plan plan, List<String> duplicates,
            Instant recorded) {
        if (duplicates == null || duplicates.isEmpty() || plan.followed().isEmpty()) {
            return 0;
        }
        String parentId = plan.stored().requestId();
        int added = 0;
        for (RoutingStep step : plan.followed()) {
            // its status, not its department: that stays the duplicate's own, which decides who may read it
            Update follows = new Update().set("status", step.status()).set(PARENT_SEQUENCE, step.sequence())
                    .push("history", step.followed(parentId, recorded)).max("updatedAt", step.at());
            for (String duplicate : duplicates) {
                operations.updateOne(Query.query(Criteria.where("_id").is(duplicate).and("duplicateOf").is(parentId)
                        .and("history.eventId").ne(step.eventId()).orOperator(
                                Criteria.where(PARENT_SEQUENCE).isNull(),
                                Criteria.where(PARENT_SEQUENCE).lt(step.sequence()))), follows);
                added++;
            }
        }
        return added;
    }

    /**
     * One event's updates, each under its own guard, as one event at a time was written before batching: its
     * timeline step (when the plan recorded it); where the request stands, if it is the newest (a linked duplicate:
     * all but the status); and its due times, each if it is the newest of its kind.
     */
    private static void guarded(ReactiveBulkOperations operations, RoutingStep step, boolean recordedStep,
            Instant recorded) {
        String requestId = step.requestId();
        if (recordedStep) {
            Update timeline = new Update().max("updatedAt", step.at())
                    .push("history").each(step.entries(recorded).toArray());
            if (step.district() != null) {
                timeline.set("district", step.district());
            }
            operations.updateOne(Query.query(Criteria.where("_id").is(requestId)
                    .and("history.eventId").ne(step.eventId())), timeline);
        }
        operations.updateOne(Query.query(Criteria.where("_id").is(requestId).and("statusSequence")
                .lt(step.sequence()).and("duplicateOf").isNull()), current(step, step.status()));
        operations.updateOne(Query.query(Criteria.where("_id").is(requestId).and("statusSequence")
                .lt(step.sequence()).and("duplicateOf").ne(null)), current(step, null));
        lateDue(operations, requestId, "firstAction", step.firstActionDueAt(), step.sequence());
        lateDue(operations, requestId, "resolution", step.resolutionDueAt(), step.sequence());
    }

    /** Where the request stands after the event, as the newest one applied: department, due times and status. */
    private static Update current(RoutingStep step, RequestStatus status) {
        Update update = new Update().set("department", step.department()).set("statusSequence", step.sequence());
        if (step.firstActionDueAt() != null) {
            update.set("due.firstActionDueAt", step.firstActionDueAt())
                    .set("due.firstActionSequence", step.sequence());
        }
        if (step.resolutionDueAt() != null) {
            update.set("due.resolutionDueAt", step.resolutionDueAt()).set("due.resolutionSequence", step.sequence());
        }
        if (status != null) {
            update.set("status", status);
        }
        return update;
    }

    private static void lateDue(ReactiveBulkOperations operations, String requestId, String which, Instant dueAt,
            long sequence) {
        if (dueAt == null) {
            return;
        }
        String sequenceField = "due." + which + "Sequence";
        operations.updateOne(Query.query(Criteria.where("_id").is(requestId).orOperator(
                        Criteria.where(sequenceField).isNull(), Criteria.where(sequenceField).lt(sequence))),
                new Update().set("due." + which + "DueAt", dueAt).set(sequenceField, sequence));
    }
}
