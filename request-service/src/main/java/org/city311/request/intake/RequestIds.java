package org.city311.request.intake;

import org.bson.Document;
import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Request numbers a resident can read out on the phone ("311-00000042"), unique across every instance: an
 * atomic increment of one counter document.
 */
@Component
class RequestIds {

    private static final String COLLECTION = "counters";

    private final ReactiveMongoTemplate mongo;

    RequestIds(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    Mono<String> next() {
        return mongo.findAndModify(Query.query(Criteria.where("_id").is("requests")), new Update().inc("value", 1L),
                        FindAndModifyOptions.options().upsert(true).returnNew(true), Document.class, COLLECTION)
                .map(counter -> "311-%08d".formatted(((Number) counter.get("value")).longValue()));
    }
}
