package org.city311.metrics.servicelevel;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.data.annotation.Id;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The ledgers in the store: one document per request with the entries folded into it, in the order they were
 * folded, and the partition it belongs to. An instance that is given a partition folds its ledgers again; the
 * figures it gets are those the previous owner had.
 */
@Component
class LedgerStore {

    static final String COLLECTION = "ledgers";
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);

    private final ReactiveMongoTemplate mongo;
    /** Writes of ledgers by this instance since it started: what tells whether figures read before may be stale. */
    private final AtomicLong changes = new AtomicLong();

    LedgerStore(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
        mongo.indexOps(COLLECTION).createIndex(new Index("partition", Sort.Direction.ASC)).block(STORE_TIMEOUT);
    }

    @Document(COLLECTION)
    record StoredLedger(@Id String id, int partition, List<LedgerEntry> entries) {
    }

    /** Entries a batch adds to one request's ledger, in the order they were read. */
    record Appended(String requestId, int partition, List<LedgerEntry> entries) {
    }

    /**
     * Adds a batch's entries to their ledgers with one bulk write, however many ledgers and events: stored before
     * they are counted (a crash in between redelivers the events, and the reloaded ledgers have them).
     * <p>
     * Each ledger is one upsert that adds its entries to the set of entries ({@code $addToSet} with {@code $each}):
     * a write the store took but whose answer was lost, written again when the batch is delivered again, adds
     * nothing the second time, and no write ever replaces what another wrote, so the order the store applies them
     * in does not matter (unordered). The ledger's order of entries is the order they were first stored, which the
     * fold does not depend on: routing entries are applied by their sequence, the others stand alone.
     */
    void append(Collection<Appended> ledgers) {
        appending(ledgers).block(STORE_TIMEOUT);
    }

    /** {@link #append} as a write to subscribe to: nothing is sent before. */
    Mono<Void> appending(Collection<Appended> ledgers) {
        if (ledgers.isEmpty()) {
            return Mono.empty();
        }
        var bulk = mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, StoredLedger.class);
        ledgers.forEach(ledger -> bulk.upsert(Query.query(Criteria.where("_id").is(ledger.requestId())),
                new Update().setOnInsert("partition", ledger.partition())
                        .addToSet("entries").each(ledger.entries().toArray())));
        return bulk.execute().doOnSuccess(written -> changes.incrementAndGet()).then();
    }

    /** How many times this instance has written ledgers (appended or removed) since it started. */
    long changes() {
        return changes.get();
    }

    Flux<StoredLedger> ledgers(Collection<Integer> partitions) {
        return mongo.find(Query.query(Criteria.where("partition").in(partitions)), StoredLedger.class);
    }

    /** Every ledger, for figures over a window (scorecards). */
    Flux<StoredLedger> all() {
        return mongo.findAll(StoredLedger.class);
    }

    void delete(Collection<Integer> partitions) {
        mongo.remove(Query.query(Criteria.where("partition").in(partitions)), StoredLedger.class).block(STORE_TIMEOUT);
        changes.incrementAndGet();
    }
}
