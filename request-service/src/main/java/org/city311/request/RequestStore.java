package org.city311.request;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.mongodb.bulk.BulkWriteResult;
import reactor.core.publisher.Mono;

import org.city311.platform.outbox.OutboxRelay;
import org.city311.platform.outbox.PendingEvent;
import org.city311.request.ServiceRequest.AdditionalReporter;
import org.city311.request.ServiceRequest.StatusChange;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * The one writer of the {@value ServiceRequest#COLLECTION} collection: intake, the timeline, Open311 updates, added
 * callers, duplicate links and the start-up backfills all change requests through it, and the names of the fields
 * they change (which the readers' queries and the indexes use too) are spelled here. Each change is guarded by what
 * its caller read (a duplicate link is two writes, the parent's naming first), so that two instances, or a
 * redelivered event, never apply it twice; an event to publish travels in the same update as the change it reports
 * (the outbox), and the relay is woken for it.
 */
@Component
public class RequestStore {

    public static final String HISTORY = "history";
    public static final String HISTORY_EVENT_ID = "history.eventId";
    public static final String HISTORY_RECORDED_AT = "history.recordedAt";
    public static final String OUTBOX = "outbox";
    public static final String STATUS = "status";
    public static final String STATUS_SEQUENCE = "statusSequence";
    public static final String DEPARTMENT = "department";
    public static final String DISTRICT = "district";
    public static final String UPDATED_AT = "updatedAt";
    public static final String DUPLICATE_OF = "duplicateOf";
    public static final String DUPLICATES = "duplicates";
    /** On a linked duplicate: the sequence of its parent's newest event it follows, so none overwrites a newer one. */
    public static final String PARENT_SEQUENCE = "parentSequence";
    public static final String ADDITIONAL_REPORTERS = "additionalReporters";
    public static final String CALLER_KEYS = "callerKeys";
    public static final String CELL = "cell";
    public static final String SEGMENT = "segment";
    public static final String REQUESTING_DEPARTMENT = "requestingDepartment";
    public static final String FIRST_ACTION_DUE_AT = "due.firstActionDueAt";
    public static final String FIRST_ACTION_SEQUENCE = "due.firstActionSequence";
    public static final String RESOLUTION_DUE_AT = "due.resolutionDueAt";
    public static final String RESOLUTION_SEQUENCE = "due.resolutionSequence";

    private final ReactiveMongoTemplate mongo;
    private final OutboxRelay outboxRelay;

    RequestStore(ReactiveMongoTemplate mongo, OutboxRelay outboxRelay) {
        this.mongo = mongo;
        this.outboxRelay = outboxRelay;
    }

    /** A new request, with its first timeline step and request-created in its outbox. */
    public Mono<ServiceRequest> insert(ServiceRequest request) {
        return mongo.insert(request)
                .doOnSuccess(stored -> outboxRelay.wakeUp(ServiceRequest.COLLECTION, request.id(), request.outbox()));
    }

    /**
     * A note on the timeline with the event that tells of it, if the timeline is still as long as when it was read
     * ({@code historyAsRead}, null for none): false when it changed meanwhile.
     */
    public Mono<Boolean> addNote(String requestId, Integer historyAsRead, StatusChange note, PendingEvent event,
            Instant at) {
        Criteria unchanged = Criteria.where("_id").is(requestId);
        unchanged = historyAsRead == null ? unchanged.and(HISTORY).exists(false)
                : unchanged.and(HISTORY).size(historyAsRead);
        return mongo.updateFirst(Query.query(unchanged), new Update().push(HISTORY, note).max(UPDATED_AT, at)
                        .push(OUTBOX, event), ServiceRequest.class)
                .map(result -> {
                    boolean added = result.getMatchedCount() == 1;
                    if (added) {
                        outboxRelay.wakeUp(ServiceRequest.COLLECTION, requestId);
                    }
                    return added;
                });
    }

    /**
     * Another caller of the same problem, their timeline step and every reporter's caller keys in one update, if
     * nothing the caller checked has changed: the request still in one of {@code open}, not linked, below
     * {@code maxReporters}, this caller's idempotency key unused, and, for {@code internalOf} (an agent's
     * department, null for staff), still that department's internal request. Empty when one of those changed.
     */
    public Mono<ServiceRequest> addReporter(String requestId, AdditionalReporter reporter, StatusChange step,
            List<String> callerKeys, Instant at, Set<RequestStatus> open, int maxReporters, String internalOf) {
        Criteria unchanged = Criteria.where("_id").is(requestId)
                .and(STATUS).in(open)
                .and(DUPLICATE_OF).isNull()
                .and(ADDITIONAL_REPORTERS + ".idempotencyKey").ne(reporter.idempotencyKey())
                .and(ADDITIONAL_REPORTERS + "." + (maxReporters - 1)).exists(false);
        if (internalOf != null) {
            unchanged = unchanged.and(SEGMENT).is(ServiceRequest.Segment.INTERNAL)
                    .and(REQUESTING_DEPARTMENT).is(internalOf);
        }
        Update update = new Update().push(ADDITIONAL_REPORTERS, reporter).push(HISTORY, step).max(UPDATED_AT, at);
        if (!callerKeys.isEmpty()) {
            update.addToSet(CALLER_KEYS).each(callerKeys.toArray());
        }
        return mongo.findAndModify(Query.query(unchanged), update, FindAndModifyOptions.options().returnNew(true),
                ServiceRequest.class);
    }

    /**
     * Links a request as a duplicate of {@code parent}, which it follows from then on: the parent names it first, so
     * that its status changes reach it by its id (should the link then fail, the parent names one that does not
     * follow it, which changes nothing); then the request takes the parent's status, the step and request-linked,
     * if it is not linked yet and, for {@code onlyOf} (an agent's department, null for staff), still routed there.
     * Empty when it was linked or transferred meanwhile.
     */
    public Mono<ServiceRequest> linkAsDuplicate(String requestId, ServiceRequest parent, StatusChange linked,
            PendingEvent event, Instant at, String onlyOf) {
        Criteria unlinked = Criteria.where("_id").is(requestId).and(DUPLICATE_OF).isNull();
        if (onlyOf != null) {
            unlinked = unlinked.and(DEPARTMENT).is(onlyOf);
        }
        // parentSequence: the parent's newest event whose status it now shows, so that none older (one delivered
        // again, say) is passed on to it afterwards
        Update update = new Update().set(DUPLICATE_OF, parent.id()).set(STATUS, parent.status())
                .set(PARENT_SEQUENCE, parent.statusSequence()).set(UPDATED_AT, at).push(HISTORY, linked)
                .push(OUTBOX, event);
        return mongo.updateFirst(Query.query(Criteria.where("_id").is(parent.id())),
                        new Update().addToSet(DUPLICATES, requestId), ServiceRequest.class)
                .then(mongo.findAndModify(Query.query(unlinked), update,
                        FindAndModifyOptions.options().returnNew(true), ServiceRequest.class))
                .doOnNext(stored -> outboxRelay.wakeUp(ServiceRequest.COLLECTION, stored.id()));
    }

    /**
     * A timeline change to one request, applied if the request still matches {@code asRead}; returns the request as
     * it was before (with only {@code fields}), or empty when it no longer matched.
     */
    public Mono<ServiceRequest> changeIfUnchanged(Criteria asRead, Update change, String... fields) {
        Query query = Query.query(asRead);
        query.fields().include(fields);
        return mongo.findAndModify(query, change, FindAndModifyOptions.options().returnNew(false),
                ServiceRequest.class);
    }

    /** A guarded update of one request, for {@link #changeAll}. */
    public record Change(Criteria guard, Update update) {
    }

    /** Changes in one ordered bulk write: each applied only where its guard matches. */
    public Mono<BulkWriteResult> changeAll(List<Change> changes) {
        if (changes.isEmpty()) {
            return Mono.just(BulkWriteResult.acknowledged(0, 0, 0, 0, List.of(), List.of()));
        }
        var operations = mongo.bulkOps(BulkOperations.BulkMode.ORDERED, ServiceRequest.class);
        changes.forEach(change -> operations.updateOne(Query.query(change.guard()), change.update()));
        return operations.execute();
    }

    /**
     * Start-up backfills: each of {@code values} (request id to value) set on its request where the field is still
     * missing, in one unordered bulk write; how many were set.
     */
    public Mono<Long> fillIn(String field, Map<String, ?> values) {
        if (values.isEmpty()) {
            return Mono.just(0L);
        }
        var operations = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, ServiceRequest.COLLECTION);
        values.forEach((id, value) -> operations.updateOne(
                Query.query(Criteria.where("_id").is(id).and(field).exists(false)), new Update().set(field, value)));
        return operations.execute().map(result -> (long) result.getModifiedCount());
    }

    /** Parents given the names of duplicates linked to them (duplicate id to parent id) that they lack; how many. */
    public Mono<Long> nameDuplicates(Map<String, String> parentOf) {
        if (parentOf.isEmpty()) {
            return Mono.just(0L);
        }
        var operations = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, ServiceRequest.COLLECTION);
        parentOf.forEach((duplicate, parent) -> operations.updateOne(
                Query.query(Criteria.where("_id").is(parent).and(DUPLICATES).ne(duplicate)),
                new Update().addToSet(DUPLICATES, duplicate)));
        return operations.execute().map(result -> (long) result.getModifiedCount());
    }
}
