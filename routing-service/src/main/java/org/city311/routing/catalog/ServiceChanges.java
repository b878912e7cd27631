package org.city311.routing.catalog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.mongodb.core.BulkOperations.BulkMode;
import org.springframework.data.mongodb.core.ReactiveBulkOperations;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * When each service of the catalog last changed as staff know it (its name, wording, keywords, standard, or the
 * department that handles it): the knowledge check asks about recently changed services more often. One document
 * per service in {@code service_changes} ({@code _id}: its code; {@code hash} of what staff know of it;
 * {@code changedAt}). Recorded at start and whenever a catalog is put in force; a service whose hash is unchanged
 * keeps its time, so a restart or a change elsewhere in the catalog moves nothing. A service that leaves the catalog
 * keeps its document (should it come back with the same content, it has not changed for anyone who knew it).
 */
@Component
public class ServiceChanges {

    static final String COLLECTION = "service_changes";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(ServiceChanges.class);

    private final ServiceCatalog catalog;
    private final ReactiveMongoTemplate mongo;
    private final Clock clock;

    ServiceChanges(ServiceCatalog catalog, ReactiveMongoTemplate mongo, Clock clock) {
        this.catalog = catalog;
        this.mongo = mongo;
        this.clock = clock;
    }

    @EventListener(ApplicationReadyEvent.class)
    void recordAtStart() {
        try {
            record(catalog.current());
        }
        catch (RuntimeException ex) {
            // the quiz then weighs every service alike until the next catalog change or start
            log.warn("Could not record which services changed ({})", ex.toString());
        }
    }

    /** Records the services of this catalog that are new or changed since the last record; returns their codes. */
    List<String> record(Catalog current) {
        Map<String, String> hashes = new LinkedHashMap<>();
        for (Catalog.Service service : current.services()) {
            hashes.put(service.code(), hash(current, service));
        }
        Map<String, String> known = new LinkedHashMap<>();
        mongo.find(Query.query(Criteria.where("_id").in(hashes.keySet())), Document.class, COLLECTION)
                .doOnNext(stored -> known.put(stored.getString("_id"), stored.getString("hash")))
                .then().block(TIMEOUT);
        List<String> changed = hashes.keySet().stream()
                .filter(code -> !hashes.get(code).equals(known.get(code))).toList();
        if (!changed.isEmpty()) {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            ReactiveBulkOperations writes = mongo.bulkOps(BulkMode.UNORDERED, COLLECTION);
            // guarded on the hash: two instances recording the same change set one time, not two
            changed.forEach(code -> writes.upsert(
                    Query.query(Criteria.where("_id").is(code).and("hash").ne(hashes.get(code))),
                    new Update().set("hash", hashes.get(code)).set("changedAt", now)));
            try {
                writes.execute().block(TIMEOUT);
            }
            catch (org.springframework.dao.DuplicateKeyException | com.mongodb.MongoBulkWriteException recordedMeanwhile) {
                // another instance recorded the same content first: its time stands
            }
            log.info("Services new or changed in catalog {}: {}", current.catalogVersion(), changed);
        }
        return changed;
    }

    /** When each service of the catalog in force last changed; a service never recorded is absent. One read. */
    public Mono<Map<String, Instant>> changedAt() {
        List<String> codes = catalog.current().services().stream().map(Catalog.Service::code).toList();
        return mongo.find(Query.query(Criteria.where("_id").in(codes)), Document.class, COLLECTION)
                .filter(stored -> stored.getDate("changedAt") != null)
                .collectMap(stored -> stored.getString("_id"), stored -> stored.getDate("changedAt").toInstant(),
                        LinkedHashMap::new);
    }

    /** What staff know of a service: the service as published and the department that handles it. */
    static String hash(Catalog current, Catalog.Service service) {
        return CatalogPublication.contentHash(List.of(service, current.handlingDepartment(service)));
    }
}
