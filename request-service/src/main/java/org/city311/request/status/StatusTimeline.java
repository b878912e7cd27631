package org.city311.request.status;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import com.mongodb.client.result.UpdateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.city311.platform.events.CloudEvent;
import org.city311.request.RequestStatus;
import org.city311.request.ServiceRequest;
import org.city311.request.ServiceRequest.StatusChange;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Follows the department's work on a request. A new event, newer than every one applied, is one guarded update of
 * the request's document (its timeline step and its status), plus one for its linked duplicates if it has any; a
 * redelivered event changes nothing and an older event never overwrites the status a newer one set.
 */
@Component
class StatusTimeline {

    private static final Logger log = LoggerFactory.getLogger(StatusTimeline.class);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);

    private final ReactiveMongoTemplate mongo;
    private final Clock clock;

    StatusTimeline(ReactiveMongoTemplate mongo, Clock clock) {
        this.mongo = mongo;
        this.clock = clock;
    }

    void on(RoutingEvents.RoutingChange change, RoutingEvents.Step step, CloudEvent event) {
        String note = step.note().apply(change);
        if (step.internalReason(change)) {
            // The step is public without its reason; the reason is a staff-only entry of the same event.
            record(change, step.status().apply(change), step.at().apply(change), step.withoutReason().apply(change),
                    null, note, event);
            return;
        }
        // A reason's visibility is the reason's alone; a note's (updated) is the whole step's.
        String visibility = step.withoutReason() != null ? null : change.visibility();
        record(change, step.status().apply(change), step.at().apply(change), note, visibility, null, event);
    }

    /** An internal entry that changes no status: recorded once, whatever the redeliveries. */
    void note(String requestId, String kind, Instant at, String note, CloudEvent event) {
        Instant when = at != null ? at : event.time();
        StatusChange entry = new StatusChange(null, when, null, note, event.id(),
                recordedNow(), "internal", kind, event.actedby(), event.source());
        mongo.updateFirst(Query.query(Criteria.where("_id").is(requestId).and("history.eventId").ne(event.id())),
                new Update().push("history", entry), ServiceRequest.class).block(STORE_TIMEOUT);
    }

    /** When this service writes a step down: the order in which live streams deliver changes. */
    private Instant recordedNow() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * The parent's public step, on each of its linked duplicates (the ones the parent names, and whose
     * {@code duplicateOf} is still it), by their ids, in one command; nothing when it has none.
     */
    private void followedByDuplicates(String parentId, StatusChange change, ServiceRequest parent) {
        if (parent == null || parent.duplicates() == null || parent.duplicates().isEmpty()) {
            return;
        }
        StatusChange followed = new StatusChange(change.status(), change.at(), change.department(),
                "Follows " + parentId + ": " + (change.note() == null ? change.kindOrStatus() : change.note()),
                change.eventId(), change.recordedAt(), null, change.kindOrStatus(), change.by(), change.source());
        // its status, not its department: that stays the duplicate's own, which decides who may read it
        Update follows = new Update().set("status", change.status()).push("history", followed)
                .max("updatedAt", change.at());
        var operations = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, ServiceRequest.class);
        for (String duplicate : parent.duplicates()) {
            operations.updateOne(Query.query(Criteria.where("_id").is(duplicate).and("duplicateOf").is(parentId)
                    .and("history.eventId").ne(change.eventId())), follows);
        }
        operations.execute().block(STORE_TIMEOUT);
    }

    /**
     * @param internalNote when the event's reason is for staff only: that reason, as an internal entry of the same
     *        event beside the public step
     */
    private void record(RoutingEvents.RoutingChange routing, RequestStatus status, Instant at, String note,
            String visibility, String internalNote, CloudEvent event) {
        String requestId = routing.requestId();
        String department = routing.department();
        long sequence = routing.sequence();
        Instant when = at != null ? at : event.time();
        // city311.request.<kind>.v1
        String kind = event.type().replaceFirst("^city311\\.request\\.", "").replaceFirst("\\.v\\d+$", "");
        Instant recorded = recordedNow();
        StatusChange change = new StatusChange(status, when, department, note, event.id(),
                recorded, visibility, kind, event.actedby(), event.source());
        boolean passedOn = status != null && !"internal".equals(visibility);
        // The usual case, in one command: an event not recorded yet, newer than every one applied, on a request that
        // is no linked duplicate. The timeline step and the status are one atomic update.
        Query freshAndNewest = Query.query(Criteria.where("_id").is(requestId).and("history.eventId").ne(event.id())
                .and("statusSequence").lt(sequence).and("duplicateOf").isNull());
        // what is needed of it afterwards (and its one primitive, for the record to be made)
        freshAndNewest.fields().include("duplicates", "statusSequence");
        ServiceRequest applied = mongo.findAndModify(freshAndNewest,
                current(timeline(new Update(), routing, change, internalNote), routing, status),
                FindAndModifyOptions.options().returnNew(true), ServiceRequest.class).block(STORE_TIMEOUT);
        if (applied != null) {
            if (passedOn) {
                followedByDuplicates(requestId, change, applied);
            }
            return;
        }
        // Anything else (a redelivery, an older event arriving late, a linked duplicate's own event): the timeline
        // step and the status each under its own guard.
        UpdateResult timeline = mongo.updateFirst(
                Query.query(Criteria.where("_id").is(requestId).and("history.eventId").ne(event.id())),
                timeline(new Update(), routing, change, internalNote), ServiceRequest.class).block(STORE_TIMEOUT);
        Query newer = Query.query(Criteria.where("_id").is(requestId).and("statusSequence").lt(sequence)
                .and("duplicateOf").isNull());
        newer.fields().include("duplicates", "statusSequence");
        ServiceRequest moved = mongo.findAndModify(newer, current(new Update(), routing, status),
                FindAndModifyOptions.options().returnNew(true), ServiceRequest.class).block(STORE_TIMEOUT);
        if (moved != null && passedOn) {
            followedByDuplicates(requestId, change, moved);
        }
        long matched = moved != null ? 1 : 0;
        if (matched == 0) {
            // A linked duplicate shows its parent's status, not its own work item's; but its own department, which
            // decides who may read it, still follows its work item (routed after it was linked, say).
            matched = mongo.updateFirst(
                    Query.query(Criteria.where("_id").is(requestId).and("statusSequence").lt(sequence)
                            .and("duplicateOf").ne(null)),
                    current(new Update(), routing, null), ServiceRequest.class).block(STORE_TIMEOUT)
                    .getMatchedCount();
        }
        if (matched == 0) {
            // An older event arriving late: its due times may still be the newest of their kind (a routed event
            // after a resume that moved only the resolution), each guarded by its own sequence.
            lateDue(requestId, "firstAction", routing.firstActionDueAt(), sequence);
            lateDue(requestId, "resolution", routing.resolutionDueAt(), sequence);
        }
        if (timeline.getMatchedCount() == 0 && matched == 0) {
            log.debug("{} for {} already applied, or the request is not ours; nothing changed", event.type(), requestId);
        }
    }

    /** The event's step on the timeline. */
    private static Update timeline(Update update, RoutingEvents.RoutingChange routing, StatusChange change,
            String internalNote) {
        update.max("updatedAt", change.at());
        if (routing.district() != null) {
            // where the location lies does not change: whichever routed event says so first
            update.set("district", routing.district());
        }
        if (internalNote == null) {
            update.push("history", change);
        }
        else {
            update.push("history").each(change, new StatusChange(null, change.at(), change.department(), internalNote,
                    change.eventId(), change.recordedAt(), "internal", change.kind(), change.by(), change.source()));
        }
        return update;
    }

    /** Where the request stands after the event, as the newest one applied: department, due times and status. */
    private static Update current(Update update, RoutingEvents.RoutingChange routing, RequestStatus status) {
        due(update.set("department", routing.department()).set("statusSequence", routing.sequence()), routing);
        if (status != null) {
            update.set("status", status);
        }
        return update;
    }

    /**
     * The event's due times, in the update that applies it as the newest event: each due time's sequence is never
     * above {@code statusSequence}, so an event newer than that is newer than both.
     */
    private static Update due(Update update, RoutingEvents.RoutingChange routing) {
        if (routing.firstActionDueAt() != null) {
            update.set("due.firstActionDueAt", routing.firstActionDueAt())
                    .set("due.firstActionSequence", routing.sequence());
        }
        if (routing.resolutionDueAt() != null) {
            update.set("due.resolutionDueAt", routing.resolutionDueAt())
                    .set("due.resolutionSequence", routing.sequence());
        }
        return update;
    }

    private void lateDue(String requestId, String which, Instant dueAt, long sequence) {
        if (dueAt == null) {
            return;
        }
        String sequenceField = "due." + which + "Sequence";
        mongo.updateFirst(Query.query(Criteria.where("_id").is(requestId).orOperator(
                        Criteria.where(sequenceField).isNull(), Criteria.where(sequenceField).lt(sequence))),
                new Update().set("due." + which + "DueAt", dueAt).set(sequenceField, sequence),
                ServiceRequest.class).block(STORE_TIMEOUT);
    }
}
