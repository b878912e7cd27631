package org.city311.request;

import java.time.Duration;

import reactor.core.publisher.Flux;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.stereotype.Component;

/** The indexes behind staff search, duplicate detection, live updates, Open311 reads and the outbox relay. */
@Component
class RequestIndexes {

    RequestIndexes(ReactiveMongoTemplate mongo) {
        var requests = mongo.indexOps(ServiceRequest.class);
        Flux.concat(
                requests.createIndex(new Index().on("submittedAt", Sort.Direction.DESC).on("_id", Sort.Direction.DESC)),
                requests.createIndex(new Index().on("serviceCode", Sort.Direction.ASC).on(RequestStore.STATUS, Sort.Direction.ASC)),
                requests.createIndex(new Index().on("filedBy", Sort.Direction.ASC)),
                // "my filings" also holds the requests a staff member added a caller to
                requests.createIndex(new Index().on(RequestStore.ADDITIONAL_REPORTERS + ".addedBy", Sort.Direction.ASC)),
                requests.createIndex(new Index().on(RequestStore.DEPARTMENT, Sort.Direction.ASC)),
                requests.createIndex(new Index().on(RequestStore.DISTRICT, Sort.Direction.ASC)),
                // "has this caller reported before?": the reporters' phone and e-mail keys (multikey)
                requests.createIndex(new Index().on(RequestStore.CALLER_KEYS, Sort.Direction.ASC)),
                requests.createIndex(new Index().on(RequestStore.DUPLICATE_OF, Sort.Direction.ASC)),
                // duplicate candidates: the open requests of the cells around a point (PossibleDuplicates)
                requests.createIndex(new Index().on(RequestStore.CELL, Sort.Direction.ASC).on(RequestStore.STATUS, Sort.Direction.ASC)),
                requests.createIndex(new Index().on("token", Sort.Direction.ASC)),
                requests.createIndex(new Index().on(RequestStore.UPDATED_AT, Sort.Direction.DESC)),
                // Open311 servicerequestupdates: the requests with a step recorded in a window
                requests.createIndex(new Index().on(RequestStore.HISTORY_RECORDED_AT, Sort.Direction.ASC)),
                requests.createIndex(new Index().on("outbox.0", Sort.Direction.ASC)))
                .then()
                .block(Duration.ofMinutes(1));
    }
}
