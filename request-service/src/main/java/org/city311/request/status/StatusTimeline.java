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
import org.city311.request.RequestStore;
import org.city311.request.ServiceRequest;
import org.city311.request.ServiceRequest.StatusChange;
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

    private final ReactiveMongoTemplate mongo;
    private final RequestStore requests;
    private final Clock clock;

    StatusTimeline(ReactiveMongoTemplate mongo, RequestStore requests, Clock clock) {
        this.mongo = mongo;
        this.requests = requests;
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
        Criteria unseen = Criteria.where("_id").is(requestId)
                .and(RequestStore.HISTORY_EVENT_ID).nin(steps.stream().map(RoutingStep::eventId).distinct().toList())
                .and(RequestStore.STATUS_SEQUENCE).lt(plan.unseenSince()).and(RequestStore.DUPLICATE_OF).isNull();
        Instant recorded = recordedNow();
        // what is needed of it afterwards (and its one primitive, for the record to be made), as it was before
        ServiceRequest before = requests.changeIfUnchanged(unseen, update(plan, recorded), RequestStore.DUPLICATES,
                RequestStore.STATUS_SEQUENCE).block(STORE_TIMEOUT);
        if (before == null) {
            return false;
        }
        List<RequestStore.Change> follows = new ArrayList<>();
        follow(follows, plan, before.duplicates(), recorded);
        if (!follows.isEmpty()) {
            requests.changeAll(follows).block(STORE_TIMEOUT);
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
        List<RequestStore.Change> changes = new ArrayList<>();
        for (TimelineFold.Plan plan : plans) {
            if (plan.writes()) {
                changes.add(new RequestStore.Change(asRead(plan), update(plan, recorded)));
            }
            follow(changes, plan, plan.stored().duplicates(), recorded);
        }
        int expected = changes.size();
        if (expected == 0) {
            return; // all of it there already
        }
        BulkWriteResult written = requests.changeAll(changes).block(STORE_TIMEOUT);
        if (written != null && written.getMatchedCount() >= expected) {
            return; // as planned
        }
        // Some request changed since it was read (or names a duplicate that does not follow it, or a duplicate has
        // this step already): each event again under its own guards, which leave alone what is written.
        List<RequestStore.Change> oneByOne = new ArrayList<>();
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
            requests.changeAll(oneByOne).block(STORE_TIMEOUT);
        }
    }

    /** What the store holds of these requests, as far as the fold needs it, in one read. */
    List<Document> read(Collection<String> requestIds) {
        Query read = Query.query(Criteria.where("_id").in(requestIds));
        read.fields().include(RequestStore.STATUS_SEQUENCE, RequestStore.DUPLICATE_OF, RequestStore.DUPLICATES,
                RequestStore.FIRST_ACTION_SEQUENCE, RequestStore.RESOLUTION_SEQUENCE, RequestStore.HISTORY_EVENT_ID);
        return mongo.find(read, Document.class, ServiceRequest.COLLECTION).collectList().block(STORE_TIMEOUT);
    }

    /** Writes the notes, once each, in one bulk write. */
    void notes(List<Note> notes) {
        if (notes.isEmpty()) {
            return;
        }
        Instant recorded = recordedNow();
        List<RequestStore.Change> changes = new ArrayList<>();
        for (Note note : notes) {
            StatusChange entry = new StatusChange(null, note.at(), null, note.note(), note.eventId(), recorded,
                    "internal", note.kind(), note.by(), note.source());
            changes.add(new RequestStore.Change(Criteria.where("_id").is(note.requestId())
                    .and(RequestStore.HISTORY_EVENT_ID).ne(note.eventId()), new Update().push(RequestStore.HISTORY, entry)));
        }
        requests.changeAll(changes).block(STORE_TIMEOUT);
    }

    /** When this service writes a step down: the order in which live streams deliver changes. */
    private Instant recordedNow() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static TimelineFold.Stored stored(Document document) {
        Document due = document.get("due", Document.class);
        Set<String> eventIds = new HashSet<>();
        for (Document entry : document.getList(RequestStore.HISTORY, Document.class, List.of())) {
            if (entry.getString("eventId") != null) {
                eventIds.add(entry.getString("eventId"));
            }
        }
        return new TimelineFold.Stored(document.getString("_id"), number(document.get(RequestStore.STATUS_SEQUENCE)),
                document.getString(RequestStore.DUPLICATE_OF),
                document.getList(RequestStore.DUPLICATES, String.class, List.of()),
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
            criteria = criteria.and(RequestStore.HISTORY_EVENT_ID)
                    .nin(plan.recorded().stream().map(RoutingStep::eventId).toList());
        }
        criteria = equal(criteria, RequestStore.STATUS_SEQUENCE, stored.statusSequence());
        criteria = equal(criteria, RequestStore.DUPLICATE_OF, stored.duplicateOf());
        if (plan.firstAction() != null) {
            criteria = equal(criteria, RequestStore.FIRST_ACTION_SEQUENCE, stored.firstActionSequence());
        }
        if (plan.resolution() != null) {
            criteria = equal(criteria, RequestStore.RESOLUTION_SEQUENCE, stored.resolutionSequence());
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
            update.max(RequestStore.UPDATED_AT, plan.updatedAt());
            update.push(RequestStore.HISTORY).each(plan.recorded().stream().flatMap(step -> step.entries(recorded).stream())
                    .toArray());
        }
        if (plan.district() != null) {
            // where the location lies does not change: whichever routed event says so
            update.set(RequestStore.DISTRICT, plan.district());
        }
        if (plan.newest() != null) {
            update.set(RequestStore.DEPARTMENT, plan.newest().department())
                    .set(RequestStore.STATUS_SEQUENCE, plan.newest().sequence());
        }
        if (plan.status() != null) {
            update.set(RequestStore.STATUS, plan.status());
        }
        if (plan.firstAction() != null) {
            update.set(RequestStore.FIRST_ACTION_DUE_AT, plan.firstAction().at())
                    .set(RequestStore.FIRST_ACTION_SEQUENCE, plan.firstAction().sequence());
        }
        if (plan.resolution() != null) {
            update.set(RequestStore.RESOLUTION_DUE_AT, plan.resolution().at())
                    .set(RequestStore.RESOLUTION_SEQUENCE, plan.resolution().sequence());
        }
        return update;
    }

    /**
     * The parent's public steps, on each of its linked duplicates (the ones the parent names, and whose
     * {@code duplicateOf} is still it), by their ids: each once, and none older than the one a duplicate shows.
     */
    private static void follow(List<RequestStore.Change> changes, TimelineFold.Plan plan, List<String> duplicates,
            Instant recorded) {
        if (duplicates == null || duplicates.isEmpty() || plan.followed().isEmpty()) {
            return;
        }
        String parentId = plan.stored().requestId();
        for (RoutingStep step : plan.followed()) {
            // its status, not its department: that stays the duplicate's own, which decides who may read it
            Update follows = new Update().set(RequestStore.STATUS, step.status())
                    .set(RequestStore.PARENT_SEQUENCE, step.sequence())
                    .push(RequestStore.HISTORY, step.followed(parentId, recorded)).max(RequestStore.UPDATED_AT, step.at());
            for (String duplicate : duplicates) {
                changes.add(new RequestStore.Change(Criteria.where("_id").is(duplicate)
                        .and(RequestStore.DUPLICATE_OF).is(parentId)
                        .and(RequestStore.HISTORY_EVENT_ID).ne(step.eventId()).orOperator(
                                Criteria.where(RequestStore.PARENT_SEQUENCE).isNull(),
                                Criteria.where(RequestStore.PARENT_SEQUENCE).lt(step.sequence())), follows));
            }
        }
    }

    /**
     * One event's updates, each under its own guard, as one event at a time was written before batching: its
     * timeline step (when the plan recorded it); where the request stands, if it is the newest (a linked duplicate:
     * all but the status); and its due times, each if it is the newest of its kind.
     */
    private static void guarded(List<RequestStore.Change> changes, RoutingStep step, boolean recordedStep,
            Instant recorded) {
        String requestId = step.requestId();
        if (recordedStep) {
            Update timeline = new Update().max(RequestStore.UPDATED_AT, step.at())
                    .push(RequestStore.HISTORY).each(step.entries(recorded).toArray());
            if (step.district() != null) {
                timeline.set(RequestStore.DISTRICT, step.district());
            }
            changes.add(new RequestStore.Change(Criteria.where("_id").is(requestId)
                    .and(RequestStore.HISTORY_EVENT_ID).ne(step.eventId()), timeline));
        }
        changes.add(new RequestStore.Change(Criteria.where("_id").is(requestId).and(RequestStore.STATUS_SEQUENCE)
                .lt(step.sequence()).and(RequestStore.DUPLICATE_OF).isNull(), current(step, step.status())));
        changes.add(new RequestStore.Change(Criteria.where("_id").is(requestId).and(RequestStore.STATUS_SEQUENCE)
                .lt(step.sequence()).and(RequestStore.DUPLICATE_OF).ne(null), current(step, null)));
        lateDue(changes, requestId, RequestStore.FIRST_ACTION_DUE_AT, RequestStore.FIRST_ACTION_SEQUENCE,
                step.firstActionDueAt(), step.sequence());
        lateDue(changes, requestId, RequestStore.RESOLUTION_DUE_AT, RequestStore.RESOLUTION_SEQUENCE,
                step.resolutionDueAt(), step.sequence());
    }

    /** Where the request stands after the event, as the newest one applied: department, due times and status. */
    private static Update current(RoutingStep step, RequestStatus status) {
        Update update = new Update().set(RequestStore.DEPARTMENT, step.department())
                .set(RequestStore.STATUS_SEQUENCE, step.sequence());
        if (step.firstActionDueAt() != null) {
            update.set(RequestStore.FIRST_ACTION_DUE_AT, step.firstActionDueAt())
                    .set(RequestStore.FIRST_ACTION_SEQUENCE, step.sequence());
        }
        if (step.resolutionDueAt() != null) {
            update.set(RequestStore.RESOLUTION_DUE_AT, step.resolutionDueAt())
                    .set(RequestStore.RESOLUTION_SEQUENCE, step.sequence());
        }
        if (status != null) {
            update.set(RequestStore.STATUS, status);
        }
        return update;
    }

    private static void lateDue(List<RequestStore.Change> changes, String requestId, String dueAtField,
            String sequenceField, Instant dueAt, long sequence) {
        if (dueAt == null) {
            return;
        }
        changes.add(new RequestStore.Change(Criteria.where("_id").is(requestId).orOperator(
                        Criteria.where(sequenceField).isNull(), Criteria.where(sequenceField).lt(sequence)),
                new Update().set(dueAtField, dueAt).set(sequenceField, sequence)));
    }
}
