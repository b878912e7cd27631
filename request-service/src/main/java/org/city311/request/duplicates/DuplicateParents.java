package org.city311.request.duplicates;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.city311.request.RequestStore;
import org.city311.request.ServiceRequest;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * At start, before the consumers: parents of duplicates linked before parents named theirs
 * ({@code ServiceRequest#duplicates}) are given their names, so that their status changes still reach them. One read
 * of the linked duplicates and one bulk write; idempotent (a name already there is not added again).
 */
@Component
class DuplicateParents {

    private static final Logger log = LoggerFactory.getLogger(DuplicateParents.class);
    private static final int BATCH = 500;

    DuplicateParents(ReactiveMongoTemplate mongo, RequestStore requests) {
        Long named = name(mongo, requests).block(Duration.ofMinutes(5));
        if (named != null && named > 0) {
            log.info("{} parents of duplicates linked earlier now name them", named);
        }
    }

    /** How many parents were given a name they lacked. */
    static reactor.core.publisher.Mono<Long> name(ReactiveMongoTemplate mongo, RequestStore requests) {
        Query linked = Query.query(Criteria.where(RequestStore.DUPLICATE_OF).ne(null));
        linked.fields().include(RequestStore.DUPLICATE_OF);
        return mongo.find(linked, Document.class, ServiceRequest.COLLECTION)
                .buffer(BATCH)
                .concatMap(batch -> {
                    Map<String, String> parentOf = new LinkedHashMap<>();
                    batch.forEach(duplicate -> parentOf.put(duplicate.getString("_id"),
                            duplicate.getString(RequestStore.DUPLICATE_OF)));
                    return requests.nameDuplicates(parentOf);
                })
                .reduce(0L, Long::sum);
    }
}
