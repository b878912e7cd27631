package org.city311.request.duplicates;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.city311.request.ServiceRequest;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * At start, before intake and the consumers: a store whose requests were filed before {@link OpenRequestCells} were
 * kept gets its cells, from one read of its open, unlinked requests, {@value #BATCH} entries a bulk write. Done
 * once: a marker document ({@value #DONE}) in the cells' collection says so, read by {@code _id} at each start.
 * Idempotent (an entry is set to what the request holds), so an interrupted run simply runs again.
 */
@Component
class OpenRequestCellsBackfill {

    static final String DONE = "~backfilled";
    private static final Logger log = LoggerFactory.getLogger(OpenRequestCellsBackfill.class);
    private static final int BATCH = 500;

    OpenRequestCellsBackfill(ReactiveMongoTemplate mongo, OpenRequestCells cells) {
        Long placed = backfill(mongo, cells).block(Duration.ofMinutes(10));
        if (placed != null && placed > 0) {
            log.info("{} open requests filed before cells were kept are now in their cells", placed);
        }
    }

    /** How many requests were placed; 0 when the cells were already there. */
    static Mono<Long> backfill(ReactiveMongoTemplate mongo, OpenRequestCells cells) {
        Query done = Query.query(Criteria.where("_id").is(DONE));
        return mongo.exists(done, OpenRequestCells.COLLECTION).flatMap(already -> {
            if (already) {
                return Mono.just(0L);
            }
            Query open = Query.query(Criteria.where("status").in(OpenRequestCells.OPEN).and("duplicateOf").isNull()
                    .and("location.latitude").ne(null));
            open.fields().include("serviceCode", "location", "submittedAt", "statusSequence", "status");
            return mongo.find(open, ServiceRequest.class)
                    .map(OpenRequestCells.Change::of)
                    .buffer(BATCH)
                    .concatMap(batch -> {
                        var operations = cells.bulk();
                        long placed = 0;
                        for (OpenRequestCells.Change change : batch) {
                            placed += cells.add(operations, change) > 0 ? 1 : 0;
                        }
                        return placed == 0 ? Mono.just(0L) : operations.execute().thenReturn(placed);
                    })
                    .reduce(0L, Long::sum)
                    .flatMap(placed -> mongo.upsert(done, new Update().set("done", true),
                            OpenRequestCells.COLLECTION).thenReturn(placed));
        });
    }
}
