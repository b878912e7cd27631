package org.city311.request.duplicates;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.city311.request.RequestStore;
import org.city311.request.ServiceRequest;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * At start, before intake and the consumers: a store kept by an earlier version, which found duplicate candidates
 * in a collection of its own ({@value #OLD_CELLS}), gives its requests their {@code cell}, {@value #BATCH} a bulk
 * write, then drops that collection. A store without it (new, or already done) costs one command to check. Each
 * write is guarded on the cell still being absent, so an interrupted run simply runs again.
 */
@Component
class RequestCellsBackfill {

    /** Where an earlier version kept the open requests by cell, until it drops here. */
    static final String OLD_CELLS = "open_request_cells";
    private static final Logger log = LoggerFactory.getLogger(RequestCellsBackfill.class);
    private static final int BATCH = 500;

    RequestCellsBackfill(ReactiveMongoTemplate mongo, RequestStore requests) {
        Long given = backfill(mongo, requests).block(Duration.ofMinutes(10));
        if (given != null && given > 0) {
            log.info("Gave {} requests filed before they kept their cell theirs", given);
        }
    }

    /** How many requests were given their cell; 0 when there was nothing to do. */
    static Mono<Long> backfill(ReactiveMongoTemplate mongo, RequestStore requests) {
        return mongo.collectionExists(OLD_CELLS).flatMap(old -> {
            if (!old) {
                return Mono.just(0L);
            }
            Query withoutCell = Query.query(Criteria.where(RequestStore.CELL).exists(false).and("location.latitude").ne(null)
                    .and("location.longitude").ne(null));
            withoutCell.fields().include("serviceCode", "location.latitude", "location.longitude");
            return mongo.find(withoutCell, Document.class, ServiceRequest.COLLECTION)
                    .buffer(BATCH)
                    .concatMap(batch -> {
                        Map<String, String> cells = new LinkedHashMap<>();
                        for (Document stored : batch) {
                            Document location = stored.get("location", Document.class);
                            if (!(location.get("latitude") instanceof Number latitude)
                                    || !(location.get("longitude") instanceof Number longitude)
                                    || stored.getString("serviceCode") == null) {
                                continue;
                            }
                            cells.put(stored.getString("_id"), CellGrid.cell(stored.getString("serviceCode"),
                                    latitude.doubleValue(), longitude.doubleValue()));
                        }
                        return requests.fillIn(RequestStore.CELL, cells);
                    })
                    .reduce(0L, Long::sum)
                    .flatMap(given -> mongo.dropCollection(OLD_CELLS).thenReturn(given));
        });
    }
}
