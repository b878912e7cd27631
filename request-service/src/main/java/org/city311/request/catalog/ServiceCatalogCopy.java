package org.city311.request.catalog;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.city311.contracts.EventContract;
import org.city311.platform.events.CloudEvent;
import org.city311.platform.events.CloudEvents;
import org.city311.platform.events.EventHandlers;
import org.city311.platform.web.Problems;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.HttpStatus;
import org.springframework.messaging.Message;
import org.springframework.web.ErrorResponseException;

/**
 * The catalog as last published by routing-service, materialised from the compacted {@code city311.catalog} topic
 * (binding {@code catalogEvents-in-0}) and kept in the store, so that intake keeps working while routing-service
 * is down, and after a restart before any event arrives.
 */
@Configuration(proxyBeanMethods = false)
public class ServiceCatalogCopy {

    static final String TYPE = EventContract.CATALOG_PUBLISHED;
    private static final String COLLECTION = "catalog";
    private static final String ID = "catalog";
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(ServiceCatalogCopy.class);

    private final ReactiveMongoTemplate mongo;
    private final JsonMapper json = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();
    private final AtomicReference<CatalogSnapshot> current = new AtomicReference<>();

    ServiceCatalogCopy(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
        Document stored = mongo.findById(ID, Document.class, COLLECTION).block(STORE_TIMEOUT);
        if (stored != null) {
            current.set(json.readValue(stored.getString("snapshot"), CatalogSnapshot.class));
            log.info("Service catalog {} loaded from the store", current.get().catalogVersion());
        }
    }

    /** The catalog, or a 503 problem while none was ever received (routing-service has not published yet). */
    public CatalogSnapshot current() {
        return find().orElseThrow(() -> {
            ErrorResponseException problem = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "Catalog not yet available",
                    "The service catalog has not been received from routing-service yet; try again shortly.");
            problem.getHeaders().set("Retry-After", "10");
            return problem;
        });
    }

    public Optional<CatalogSnapshot> find() {
        return Optional.ofNullable(current.get());
    }

    @Bean
    Consumer<Message<byte[]>> catalogEvents(CloudEvents cloudEvents) {
        return new EventHandlers(cloudEvents).on(TYPE, CatalogSnapshot.class, this::on);
    }

    /** Keeps a newer catalog; an older or repeated one (a replay of the topic) changes nothing. */
    void on(CatalogSnapshot published, CloudEvent event) {
        Instant publishedAt = published.publishedAt() != null ? published.publishedAt() : event.time();
        Update update = new Update()
                .set("publishedAt", publishedAt)
                .set("catalogVersion", published.catalogVersion())
                .set("snapshot", json.writeValueAsString(published));
        try {
            mongo.upsert(Query.query(Criteria.where("_id").is(ID).and("publishedAt").lt(publishedAt)), update,
                    COLLECTION).block(STORE_TIMEOUT);
        }
        catch (DuplicateKeyException storedByAnotherOrNewer) {
            // the store has this catalog (another instance wrote it) or a newer one: memory is still brought up to it
        }
        CatalogSnapshot kept = current.updateAndGet(known -> known == null || known.publishedAt() == null
                || known.publishedAt().isBefore(publishedAt) ? published : known);
        if (kept == published) {
            log.info("Service catalog {} in force: {} services", published.catalogVersion(),
                    published.services().size());
        }
    }
}
