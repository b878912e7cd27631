package org.city311.metrics.servicelevel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.BulkWriteResult;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.InsertOneModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.WriteModel;
import com.mongodb.reactivestreams.client.MongoCollection;
import org.springframework.data.annotation.Id;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
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
    private static final UpdateOptions UPSERT = new UpdateOptions().upsert(true);
    private static final BulkWriteOptions UNORDERED = new BulkWriteOptions().ordered(false);

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

    /**
     * Entries a batch adds to one request's ledger, in the order they were read, none twice; {@code fresh} when no
     * ledger of the request is stored (a rebuild's first write of it, the partition's ledgers deleted before).
     */
    record Appended(String requestId, int partition, List<LedgerEntry> entries, boolean fresh) {

        Appended(String requestId, int partition, List<LedgerEntry> entries) {
            this(requestId, partition, entries, false);
        }
    }

    /**
     * Adds a batch's entries to their ledgers with one bulk write, however many ledgers and events: stored before
     * they are counted (a crash in between redelivers the events, and the reloaded ledgers have them).
     * <p>
     * Each ledger is one upsert that adds its entries to the set of entries ({@code $addToSet} with {@code $each}):
     * a write the store took but whose answer was lost, written again when the batch is delivered again, adds
     * nothing the second time, and no write ever replaces what another wrote, so the order the store applies them
     * in does not matter (unordered). The ledger's order of entries is the order they were first stored, which the
     * fold does not depend on: routing entries are applied by their sequence, the others stand alone. The write is
     * built by hand ({@link #appendTo}, {@link LedgerEntry#toDocument}), as Spring Data's mapping builds it.
     */
    void append(Collection<Appended> ledgers) {
        appending(ledgers).block(STORE_TIMEOUT);
    }

    /** {@link #append} as a write to subscribe to: nothing is sent before. */
    Mono<Void> appending(Collection<Appended> ledgers) {
        if (ledgers.isEmpty()) {
            return Mono.empty();
        }
        List<Appended> toWrite = List.copyOf(ledgers);
        List<WriteModel<org.bson.Document>> writes = new ArrayList<>(toWrite.size());
        for (Appended ledger : toWrite) {
            writes.add(ledger.fresh() ? new InsertOneModel<>(whole(ledger)) : upsert(ledger));
        }
        return mongo.getCollection(COLLECTION).flatMap(ledgerCollection ->
                        Mono.from(ledgerCollection.bulkWrite(writes, UNORDERED))
                                .onErrorResume(MongoBulkWriteException.class,
                                        failed -> appendToStored(ledgerCollection, toWrite, failed)))
                .doOnSuccess(written -> changes.incrementAndGet()).then();
    }

    /**
     * A fresh ledger is inserted whole: the store neither looks for it nor works out an update, about a quarter of
     * what a rebuild costs the store. Should one be stored after all (a duplicate key), its entries are added to it
     * as to any other, with a second command; any other failure fails the write.
     */
    private static Mono<BulkWriteResult> appendToStored(MongoCollection<org.bson.Document> ledgerCollection,
            List<Appended> ledgers, MongoBulkWriteException failed) {
        if (failed.getWriteConcernError() != null || failed.getWriteErrors().stream().anyMatch(error ->
                ErrorCategory.fromErrorCode(error.getCode()) != ErrorCategory.DUPLICATE_KEY
                        || !ledgers.get(error.getIndex()).fresh())) {
            return Mono.error(failed);
        }
        List<WriteModel<org.bson.Document>> again = new ArrayList<>();
        for (BulkWriteError error : failed.getWriteErrors()) {
            again.add(upsert(ledgers.get(error.getIndex())));
        }
        return Mono.from(ledgerCollection.bulkWrite(again, UNORDERED));
    }

    private static UpdateOneModel<org.bson.Document> upsert(Appended ledger) {
        return new UpdateOneModel<>(new org.bson.Document("_id", ledger.requestId()), appendTo(ledger), UPSERT);
    }

    /** A fresh ledger as the upsert of {@link #appendTo} creates it: id, partition, entries. */
    static org.bson.Document whole(Appended ledger) {
        return new org.bson.Document("_id", ledger.requestId()).append("partition", ledger.partition())
                .append("entries", entryDocuments(ledger));
    }

    /** One ledger's upsert: its partition when it is new, its entries added to the set of entries. */
    static org.bson.Document appendTo(Appended ledger) {
        return new org.bson.Document("$setOnInsert", new org.bson.Document("partition", ledger.partition()))
                .append("$addToSet", new org.bson.Document("entries",
                        new org.bson.Document("$each", entryDocuments(ledger))));
    }

    private static List<org.bson.Document> entryDocuments(Appended ledger) {
        List<org.bson.Document> entries = new ArrayList<>(ledger.entries().size());
        for (LedgerEntry entry : ledger.entries()) {
            entries.add(entry.toDocument());
        }
        return entries;
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
