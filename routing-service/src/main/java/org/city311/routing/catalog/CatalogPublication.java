package org.city311.routing.catalog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.city311.contracts.EventContract;
import org.city311.contracts.Topics;
import org.city311.platform.calendar.BusinessCalendar;
import org.city311.platform.events.CloudEvent;
import org.city311.platform.events.CloudEvents;
import org.city311.platform.outbox.OutboxProperties;
import org.city311.platform.outbox.OutboxRelay;
import org.city311.platform.outbox.PendingEvent;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.kafka.config.TopicBuilder;

/**
 * Publishes the catalog in force to the compacted {@code city311.catalog} topic whenever its content changes, so
 * that request-service (and any department's system) keeps a copy and validates requests without calling us.
 * The publication is recorded with its hash in one document, whose outbox carries the event.
 */
@Configuration(proxyBeanMethods = false)
public class CatalogPublication {

    static final String TYPE = EventContract.CATALOG_PUBLISHED;
    /** Every record has this key, so compaction keeps only the latest catalog. */
    static final String KEY = "catalog";
    static final String COLLECTION = "catalog";

    private static final Logger log = LoggerFactory.getLogger(CatalogPublication.class);
    private static final JsonMapper CANONICAL = JsonMapper.builder()
            .changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();

    private final ServiceCatalog catalog;
    private final ReactiveMongoTemplate mongo;
    private final CloudEvents cloudEvents;
    private final OutboxRelay outboxRelay;
    private final Clock clock;

    CatalogPublication(ServiceCatalog catalog, ReactiveMongoTemplate mongo, CloudEvents cloudEvents,
            OutboxRelay outboxRelay, Clock clock) {
        this.catalog = catalog;
        this.mongo = mongo;
        this.cloudEvents = cloudEvents;
        this.outboxRelay = outboxRelay;
        this.clock = clock;
    }

    record CatalogPublished(String catalogVersion, String hash, Instant publishedAt, Catalog.City city,
            List<PublishedDepartment> departments, List<Catalog.Service> services) {
    }

    /**
     * A department as the topic describes it: who it is and when it works. How it assigns work to its agents is
     * its own business and stays here (as the rules do); a change to it still publishes the catalog anew, since the
     * hash covers the whole catalog.
     */
    record PublishedDepartment(String code, String name, String mission, Catalog.Contact contact,
            BusinessCalendar.Hours hours) {

        static PublishedDepartment of(Catalog.Department department) {
            return new PublishedDepartment(department.code(), department.name(), department.mission(),
                    department.contact(), department.hours());
        }
    }

    @Bean
    NewTopic catalogTopic(OutboxProperties properties) {
        return TopicBuilder.name(Topics.CATALOG)
                .partitions(1)
                .replicas(properties.replicationFactor())
                .config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
                .build();
    }

    @EventListener(ApplicationReadyEvent.class)
    void publishIfChanged() {
        publish(catalog.current());
    }

    /** Publishes {@code current} unless the same content was published before; true if it published. */
    public boolean publish(Catalog current) {
        String hash = hash(current);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        CloudEvent event = cloudEvents.create(TYPE, KEY, new CatalogPublished(current.catalogVersion(), hash, now,
                current.city(), current.departments().stream().map(PublishedDepartment::of).toList(),
                current.services()));
        Update update = new Update()
                .set("hash", hash)
                .set("catalogVersion", current.catalogVersion())
                .set("publishedAt", now)
                .push("outbox", PendingEvent.of(Topics.CATALOG, event, cloudEvents));
        try {
            mongo.upsert(Query.query(Criteria.where("_id").is(KEY).and("hash").ne(hash)), update, COLLECTION)
                    .block(Duration.ofSeconds(30));
        }
        catch (DuplicateKeyException samePublishedBefore) {
            log.debug("Catalog {} ({}) was already published", current.catalogVersion(), hash);
            return false;
        }
        outboxRelay.wakeUp(COLLECTION, KEY);
        log.info("Publishing catalog {} ({})", current.catalogVersion(), hash);
        return true;
    }

    static String hash(Catalog catalog) {
        return contentHash(catalog);
    }

    /** SHA-256 of a value's canonical JSON (nulls left out): the same content, the same hash. */
    static String contentHash(Object value) {
        try {
            byte[] content = CANONICAL.writeValueAsString(value).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
