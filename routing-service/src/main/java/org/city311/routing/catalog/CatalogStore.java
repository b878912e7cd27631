package org.city311.routing.catalog;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.OptionalLong;

import org.bson.Document;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * The catalog text put in force through the admin API, kept so that it survives a restart: one document
 * {@code _id: "source"} in the {@code catalog} collection (next to the publication's {@code _id: "catalog"}).
 */
@Component
class CatalogStore {

    static final String SOURCE = "source";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ReactiveMongoTemplate mongo;

    CatalogStore(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    /**
     * @param hash the content hash of the catalog the text reads as (see {@link CatalogPublication#hash})
     * @param revision raised by every change stored, so that an instance can tell whether another stored one
     */
    record StoredSource(String yaml, String catalogVersion, String hash, Instant updatedAt, long revision) {
    }

    Optional<StoredSource> find() {
        Document stored = mongo.findById(SOURCE, Document.class, CatalogPublication.COLLECTION).block(TIMEOUT);
        if (stored == null || stored.getString("yaml") == null) {
            return Optional.empty();
        }
        Date updatedAt = stored.getDate("updatedAt");
        Number revision = stored.get("revision", Number.class);
        return Optional.of(new StoredSource(stored.getString("yaml"), stored.getString("catalogVersion"),
                stored.getString("hash"), updatedAt == null ? null : updatedAt.toInstant(),
                revision == null ? 0 : revision.longValue()));
    }

    /**
     * Stores the text, replacing the stored one; if {@code onlyOverRevision} is given, only if the stored one is
     * still at that revision (0: none stored), as another instance may have stored a change since.
     *
     * @return the revision stored, or empty if the stored text was not at the revision expected (nothing changed)
     */
    OptionalLong save(String yaml, String catalogVersion, String hash, Instant updatedAt, Long onlyOverRevision) {
        Criteria which = Criteria.where("_id").is(SOURCE);
        if (onlyOverRevision != null) {
            which = onlyOverRevision == 0 ? which.and("revision").exists(false) : which.and("revision").is(onlyOverRevision);
        }
        Update update = new Update()
                .set("yaml", yaml)
                .set("catalogVersion", catalogVersion)
                .set("hash", hash)
                .set("updatedAt", updatedAt)
                .inc("revision", 1);
        try {
            Document stored = mongo.findAndModify(Query.query(which), update,
                    FindAndModifyOptions.options().upsert(true).returnNew(true), Document.class,
                    CatalogPublication.COLLECTION).block(TIMEOUT);
            return OptionalLong.of(stored.get("revision", Number.class).longValue());
        }
        catch (DuplicateKeyException storedIsAnother) {
            return OptionalLong.empty();
        }
    }
}
