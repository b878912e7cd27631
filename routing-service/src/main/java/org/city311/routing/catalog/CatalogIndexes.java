package org.city311.routing.catalog;

import java.time.Duration;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.stereotype.Component;

/**
 * The index behind the one read of {@code catalog} not by {@code _id}: the outbox relay's. The collection holds two
 * documents (the stored source and the publication, both read by {@code _id}), so a scan would cost little; the
 * index keeps every collection the relay polls alike, and the relay polls it twice a second.
 */
@Component
class CatalogIndexes {

    static final Index OUTBOX = new Index().on("outbox.0", Sort.Direction.ASC);

    CatalogIndexes(ReactiveMongoTemplate mongo) {
        // OutboxRelay: find and count where outbox.0 exists
        mongo.indexOps(CatalogPublication.COLLECTION).createIndex(OUTBOX).then().block(Duration.ofMinutes(1));
    }
}
