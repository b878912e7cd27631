package org.city311.feedback.calendars;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.bson.Document;

import org.city311.contracts.EventContract;
import org.city311.platform.calendar.BusinessCalendar;
import org.city311.platform.events.CloudEvent;
import org.city311.platform.events.CloudEvents;
import org.city311.platform.events.EventHandlers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.messaging.Message;

/**
 * Each department's {@link BusinessCalendar} as the newest catalog routing-service published says (binding
 * {@code catalogEvents-in-0}, the compacted {@code city311.catalog}, read whole by every instance at its start), kept
 * in the store
 * ({@value #COLLECTION}) so that a restart knows them before the topic is read again. An older or repeated catalog
 * (a replay) changes nothing; a department whose published hours cannot be read has no calendar here, and its
 * follow-ups are counted in plain weekdays, as before any catalog arrives. It also tells which departments and
 * services the catalog lists, for what staff name (an idea's department and service).
 */
@Configuration(proxyBeanMethods = false)
public class DepartmentCalendars {

    static final String COLLECTION = "department_calendars";
    private static final String ID = "catalog";
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(DepartmentCalendars.class);

    /** What this service reads of a published catalog: its departments' hours, and which services it lists. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record PublishedHours(String catalogVersion, Instant publishedAt, List<Department> departments,
            List<Service> services) {

        PublishedHours {
            departments = departments == null ? List.of() : List.copyOf(departments);
            services = services == null ? List.of() : List.copyOf(services);
        }

        @JsonIgnoreProperties(ignoreUnknown = true)
        record Department(String code, BusinessCalendar.Hours hours) {
        }

        @JsonIgnoreProperties(ignoreUnknown = true)
        record Service(String code) {
        }
    }

    /** @param services empty when the stored catalog predates keeping them: then no service is refused */
    private record Known(Instant publishedAt, Map<String, BusinessCalendar> calendars, Set<String> departments,
            Set<String> services) {
    }

    private final ReactiveMongoTemplate mongo;
    private final JsonMapper json = JsonMapper.builder().build();
    private final AtomicReference<Known> current = new AtomicReference<>();

    DepartmentCalendars(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
        Document stored = mongo.findById(ID, Document.class, COLLECTION).block(STORE_TIMEOUT);
        if (stored != null) {
            try {
                PublishedHours published = json.readValue(stored.getString("hours"), PublishedHours.class);
                current.set(known(published, stored.get("publishedAt", Date.class).toInstant()));
                log.info("Department calendars of catalog {} loaded from the store", published.catalogVersion());
            }
            catch (RuntimeException unreadable) {
                // weekdays stand in until the catalog is read again from the topic (every start reads it whole)
                log.warn("The stored department calendars cannot be read ({}); weekdays until the catalog arrives",
                        unreadable.toString());
            }
        }
    }

    /** The department's calendar, if a catalog with its readable hours has arrived. */
    public Optional<BusinessCalendar> of(String department) {
        Known known = current.get();
        return known == null || department == null ? Optional.empty()
                : Optional.ofNullable(known.calendars().get(department));
    }

    /**
     * Whether the catalog in force lists this department; empty before any catalog arrived (nothing to check
     * against).
     */
    public Optional<Boolean> listsDepartment(String code) {
        Known known = current.get();
        return known == null ? Optional.empty() : Optional.of(known.departments().contains(code));
    }

    /** Whether the catalog in force lists this service; empty before a catalog with its services arrived. */
    public Optional<Boolean> listsService(String code) {
        Known known = current.get();
        return known == null || known.services().isEmpty() ? Optional.empty()
                : Optional.of(known.services().contains(code));
    }

    @Bean
    Consumer<Message<byte[]>> catalogEvents(CloudEvents cloudEvents) {
        return new EventHandlers(cloudEvents).on(EventContract.CATALOG_PUBLISHED, PublishedHours.class, this::on);
    }

    /**
     * Keeps a newer catalog's calendars, in the store and in memory; an older or repeated one changes neither. Every
     * instance reads the whole topic (a consumer group of its own), so each one's memory follows, whichever instance
     * wrote the store first.
     */
    void on(PublishedHours published, CloudEvent event) {
        Instant publishedAt = published.publishedAt() != null ? published.publishedAt() : event.time();
        Update update = new Update().set("publishedAt", publishedAt).set("catalogVersion", published.catalogVersion())
                .set("hours", json.writeValueAsString(published));
        try {
            mongo.upsert(Query.query(Criteria.where("_id").is(ID).and("publishedAt").lt(publishedAt)), update,
                    COLLECTION).block(STORE_TIMEOUT);
        }
        catch (DuplicateKeyException storedByAnotherOrNewer) {
            // the store has this catalog (another instance wrote it) or a newer one: memory is still brought up to it
        }
        Known next = known(published, publishedAt);
        Known kept = current.updateAndGet(known -> known == null || known.publishedAt().isBefore(publishedAt) ? next
                : known);
        if (kept == next) {
            log.info("Calendars of {} departments from catalog {}", next.calendars().size(),
                    published.catalogVersion());
        }
    }

    private static Known known(PublishedHours published, Instant publishedAt) {
        Map<String, BusinessCalendar> calendars = new HashMap<>();
        for (PublishedHours.Department department : published.departments()) {
            if (department.code() == null || department.hours() == null) {
                continue;
            }
            try {
                calendars.put(department.code(), BusinessCalendar.of(department.hours()));
            }
            catch (IllegalArgumentException unreadable) {
                // routing-service refuses such a catalog; should one arrive anyway, its weekdays stand in
                log.warn("Department {}: {}", department.code(), unreadable.getMessage());
            }
        }
        Set<String> departments = new java.util.HashSet<>();
        published.departments().stream().map(PublishedHours.Department::code).filter(java.util.Objects::nonNull)
                .forEach(departments::add);
        Set<String> services = new java.util.HashSet<>();
        published.services().stream().map(PublishedHours.Service::code).filter(java.util.Objects::nonNull)
                .forEach(services::add);
        return new Known(publishedAt, Map.copyOf(calendars), Set.copyOf(departments), Set.copyOf(services));
    }
}
