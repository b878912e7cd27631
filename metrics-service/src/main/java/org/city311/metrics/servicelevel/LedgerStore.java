package org.city311.metrics.servicelevel;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

import org.springframework.data.annotation.Id;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Flux;

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

    LedgerStore(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
        mongo.indexOps(COLLECTION).createIndex(new Index("partition", Sort.Direction.ASC)).block(STORE_TIMEOUT);
    }

    @Document(COLLECTION)
    record StoredLedger(@Id String id, int partition, List<LedgerEntry> entries) {
    }

    /** Stored before it is counted: a crash in between redelivers the event, and the reloaded ledger has it. */
    void append(String requestId, int partition, LedgerEntry entry) {
        mongo.upsert(Query.query(Criteria.where("_id").is(requestId)),
                new Update().setOnInsert("partition", partition).push("entries", entry), StoredLedger.class)
                .block(STORE_TIMEOUT);
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
    }
}
