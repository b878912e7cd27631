package org.city311.request.status;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.PreDestroy;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import org.city311.request.CallerKeys;
import org.city311.request.RequestStore;
import org.city311.request.ServiceRequest;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.convert.MongoConverter;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * Gives requests stored before {@link CallerKeys} were kept their keys, once, in the background after start, so
 * that a search by a caller's phone or e-mail finds them too. Each write is guarded on the keys still being absent:
 * a request given keys meanwhile (a caller added: that write adds everyone's keys) is left as it is. Idempotent;
 * several instances may run it at once. Writes are grouped in bulk, {@value #BATCH} at a time.
 */
@Component
class CallerKeysBackfill {

    private static final Logger log = LoggerFactory.getLogger(CallerKeysBackfill.class);
    static final int BATCH = 500;

    private final ReactiveMongoTemplate mongo;
    private final RequestStore requests;
    private final MongoConverter converter;
    private Disposable running;

    CallerKeysBackfill(ReactiveMongoTemplate mongo, RequestStore requests) {
        this.mongo = mongo;
        this.requests = requests;
        this.converter = mongo.getConverter();
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        running = backfill().subscribe(count -> {
            if (count > 0) {
                log.info("Gave {} requests stored before caller keys were kept their keys", count);
            }
        }, failure -> log.warn("Could not give older requests their caller keys ({}); searching by a caller's "
                + "phone or e-mail misses them until the next start", failure.toString()));
    }

    /** How many requests were given keys. */
    Mono<Long> backfill() {
        Query withoutKeys = Query.query(Criteria.where(RequestStore.CALLER_KEYS).exists(false));
        withoutKeys.fields().include("resident", RequestStore.ADDITIONAL_REPORTERS);
        return mongo.find(withoutKeys, Document.class, ServiceRequest.COLLECTION)
                .buffer(BATCH)
                .concatMap(batch -> {
                    // one round trip per batch
                    Map<String, List<String>> keys = new LinkedHashMap<>();
                    for (Document stored : batch) {
                        ServiceRequest.Resident resident = read(ServiceRequest.Resident.class,
                                stored.get("resident", Document.class));
                        List<ServiceRequest.AdditionalReporter> added = stored
                                .getList(RequestStore.ADDITIONAL_REPORTERS, Document.class, List.of()).stream()
                                .map(one -> read(ServiceRequest.AdditionalReporter.class, one)).toList();
                        keys.put(stored.getString("_id"), CallerKeys.of(resident, added));
                    }
                    return requests.fillIn(RequestStore.CALLER_KEYS, keys);
                })
                .reduce(0L, Long::sum)
                .timeout(Duration.ofMinutes(10));
    }

    private <T> T read(Class<T> type, Document document) {
        return document == null ? null : converter.read(type, document);
    }

    @PreDestroy
    void stop() {
        if (running != null) {
            running.dispose();
        }
    }
}
