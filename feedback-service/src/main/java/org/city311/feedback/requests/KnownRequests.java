package org.city311.feedback.requests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.city311.feedback.store.BulkWrites;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.BulkOperations.BulkMode;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveBulkOperations;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

/**
 * The {@code requests} collection as the consumers use it: read by ids, written with one bulk write a batch. Two
 * consumers (routing's and request-created's) may insert the same request at once: the loser's upsert is refused by
 * the id, and tried once more, as an update; a routing write refused again has a newer event stored.
 */
final class KnownRequests {

    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);

    private final ReactiveMongoTemplate mongo;

    KnownRequests(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** What is stored of these requests (one command). */
    Map<String, KnownRequest> find(Collection<String> ids) {
        return mongo.find(Query.query(Criteria.where("_id").in(ids)), KnownRequest.class).collectList()
                .block(STORE_TIMEOUT).stream().collect(Collectors.toMap(KnownRequest::id, request -> request));
    }

    /**
     * The outcome of applying one request's write on its own.
     *
     * @param stale a newer event is stored: this one changed nothing
     * @param before what was known of the request before (null if nothing)
     */
    record Applied(boolean stale, KnownRequest before) {
    }

    /** Applies one write unless a newer event is stored, in one command that also answers what was there before. */
    Applied apply(RequestFold.Write write) {
        FindAndModifyOptions upsert = FindAndModifyOptions.options().upsert(true).returnNew(false);
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                return new Applied(false, mongo.findAndModify(write.guard(), write.update(), upsert,
                        KnownRequest.class).block(STORE_TIMEOUT));
            }
            catch (DuplicateKeyException racedOrNewer) {
                // inserted meanwhile (then it is an update now), or newer
            }
        }
        return new Applied(true, null);
    }

    /**
     * Applies these writes with one bulk write (each unless a newer event is stored); returns the requests whose
     * write was refused, a newer event being stored.
     */
    Set<String> write(Collection<RequestFold.Write> writes) {
        List<RequestFold.Write> pending = new ArrayList<>(writes);
        for (int attempt = 0; attempt < 2 && !pending.isEmpty(); attempt++) {
            ReactiveBulkOperations bulk = mongo.bulkOps(BulkMode.UNORDERED, KnownRequest.class);
            pending.forEach(write -> bulk.upsert(write.guard(), write.update()));
            BulkWrites.Outcome outcome = BulkWrites.execute(bulk, STORE_TIMEOUT);
            List<RequestFold.Write> refused = new ArrayList<>();
            for (int index : outcome.duplicates()) {
                refused.add(pending.get(index));
            }
            pending = refused;
        }
        return pending.stream().map(RequestFold.Write::requestId).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /**
     * Upserts these requests by id with one bulk write (request-created: who asked); one inserted meanwhile by the
     * routing consumer is updated instead.
     */
    void upsert(Map<String, Update> updates) {
        List<Map.Entry<String, Update>> pending = new ArrayList<>(updates.entrySet());
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            ReactiveBulkOperations bulk = mongo.bulkOps(BulkMode.UNORDERED, KnownRequest.class);
            pending.forEach(entry -> bulk.upsert(Query.query(Criteria.where("_id").is(entry.getKey())),
                    entry.getValue()));
            BulkWrites.Outcome outcome = BulkWrites.execute(bulk, STORE_TIMEOUT);
            if (!outcome.duplicates().isEmpty() && attempt > 0) {
                throw new DuplicateKeyException("requests inserted twice at once: " + outcome.duplicates());
            }
            List<Map.Entry<String, Update>> raced = new ArrayList<>();
            for (int index : outcome.duplicates()) {
                raced.add(pending.get(index));
            }
            pending = raced;
        }
    }
}
