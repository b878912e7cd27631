package org.city311.feedback.requests;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

/**
 * Folds a batch of routing events into what is known of their requests, in memory: the changes they make (for the
 * surveys) and, per request, the one update that stores the result. The events of a request are applied in the
 * order read, each over what the ones before it left:
 * <ul>
 * <li>an event older than what is known (a lower {@code sequence}) is ignored;</li>
 * <li>an event of the sequence already stored is applied again, changes included (its processing may have been cut
 * short before its changes were all written: they are idempotent), but the same event twice within the batch
 * only once;</li>
 * <li>a resolution is a {@link RequestResolved}, with what was known before it; reopened, closed, routed or
 * transferred over a resolution (or the same event again) is a {@link RequestMovedOn}.</li>
 * </ul>
 * What it folds into the update is guarded in the store too ({@link Write#guard()}): another instance may write
 * the request meanwhile (during a rebalance).
 */
final class RequestFold {

    private RequestFold() {
    }

    /**
     * A routing event that changes what surveys need to know of a request.
     *
     * @param status the request's status after it, if the event says (a transfer may not)
     * @param resolution whether it is a resolution (request-resolved)
     * @param resolvedAt a resolution's time
     */
    record Kept(String requestId, long sequence, String serviceCode, String department, String status,
            boolean resolution, Instant resolvedAt) {

        static Kept resolution(String requestId, long sequence, String serviceCode, String department,
                Instant resolvedAt) {
            return new Kept(requestId, sequence, serviceCode, department, "resolved", true, resolvedAt);
        }

        static Kept moved(String requestId, long sequence, String serviceCode, String department, String status) {
            return new Kept(requestId, sequence, serviceCode, department, status, false, null);
        }

        /** The fields it sets on the request. */
        Map<String, Object> fields() {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("serviceCode", serviceCode);
            fields.put("department", department);
            if (status != null) {
                fields.put("status", status);
            }
            if (resolution()) {
                fields.put("resolvedAt", resolvedAt);
                fields.put("resolutionSequence", sequence);
            }
            fields.put("sequence", sequence);
            return fields;
        }

        KnownRequest over(KnownRequest before) {
            if (before == null) {
                return new KnownRequest(requestId, serviceCode, department, status, sequence, resolvedAt,
                        resolution() ? sequence : null, null, null, null, null);
            }
            return new KnownRequest(requestId, serviceCode, department, status != null ? status : before.status(),
                    sequence, resolution() ? resolvedAt : before.resolvedAt(),
                    resolution() ? Long.valueOf(sequence) : before.resolutionSequence(), before.channel(),
                    before.segment(), before.requestingDepartment(), before.filedBy());
        }

        /** What it means for the surveys, over what was known before it: nothing, a resolution, or moved on. */
        RequestChange change(KnownRequest before) {
            if (resolution()) {
                return new RequestResolved(requestId, serviceCode, department, resolvedAt, sequence, before);
            }
            if (before == null || status == null || "resolved".equals(status)) {
                return null;
            }
            // it stood resolved (or this is the same event again, whose changes may not all be written): its window
            // ends
            return before.resolved() || before.sequence() == sequence
                    ? new RequestMovedOn(requestId, status, sequence)
                    : null;
        }
    }

    /**
     * The write of one request: its fields as the batch's events left them, applied unless a newer event is
     * stored.
     */
    record Write(String requestId, long sequence, Map<String, Object> fields) {

        Update update() {
            Update update = new Update();
            fields.forEach(update::set);
            return update;
        }

        /** The request, unless what is stored is newer than this write. */
        Query guard() {
            return Query.query(Criteria.where("_id").is(requestId).and("sequence").lte(sequence));
        }
    }

    /**
     * @param changes in the order of the events
     * @param writes one per request that an event changed, in the order first read
     * @param ignored how many events were older than what was known, or read twice
     */
    record Folded(List<RequestChange> changes, Collection<Write> writes, int ignored) {
    }

    /**
     * Folds {@code events} (in the order read) over {@code stored} (what the store has of their requests; a request
     * it does not have is absent).
     */
    static Folded fold(Map<String, KnownRequest> stored, List<Kept> events) {
        Map<String, KnownRequest> known = new HashMap<>(stored);
        Set<String> changedHere = new HashSet<>();
        Map<String, Write> writes = new LinkedHashMap<>();
        List<RequestChange> changes = new ArrayList<>();
        int ignored = 0;
        for (Kept event : events) {
            KnownRequest before = known.get(event.requestId());
            if (before != null && (event.sequence() < before.sequence()
                    || (event.sequence() == before.sequence() && changedHere.contains(event.requestId())))) {
                ignored++;
                continue;
            }
            RequestChange change = event.change(before);
            if (change != null) {
                changes.add(change);
            }
            known.put(event.requestId(), event.over(before));
            changedHere.add(event.requestId());
            Write write = writes.get(event.requestId());
            Map<String, Object> fields = write == null ? new LinkedHashMap<>() : write.fields();
            fields.putAll(event.fields());
            writes.put(event.requestId(), new Write(event.requestId(), event.sequence(), fields));
        }
        return new Folded(changes, List.copyOf(writes.values()), ignored);
    }
}
