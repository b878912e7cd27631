package org.city311.feedback.requests;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.city311.platform.events.CloudEvent;
import org.city311.platform.events.CloudEvents;
import org.city311.platform.events.EventHandlers;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.messaging.Message;

/**
 * Keeps {@link KnownRequest}s up to date from routing-service's topic (binding {@code routingEvents-in-0}), and
 * tells the rest of the service when a request is resolved ({@link RequestResolved}) or has moved on from a
 * resolution ({@link RequestMovedOn}).
 * <p>
 * An event older than what is known is ignored. The same event again (a redelivery) is applied again: the upsert
 * then changes nothing, and the listeners are idempotent, so an event whose processing was cut short between the
 * two steps still has its whole effect.
 */
@Configuration(proxyBeanMethods = false)
class RoutingEventsConsumer {

    private static final Logger log = LoggerFactory.getLogger(RoutingEventsConsumer.class);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);

    record RequestRouted(String requestId, String serviceCode, String department, String status, long sequence) {
    }

    record Resolved(String requestId, String serviceCode, String department, Instant resolvedAt, long sequence) {
    }

    /** Any other routing event: only the department answering for the request, and its status, matter here. */
    record RequestMoved(String requestId, String serviceCode, String department, String status, long sequence) {
    }

    @Bean
    Consumer<Message<byte[]>> routingEvents(CloudEvents cloudEvents, ReactiveMongoTemplate mongo,
            ApplicationEventPublisher events) {
        EventHandlers handlers = new EventHandlers(cloudEvents)
                .on("city311.request.routed.v1", RequestRouted.class, (routed, event) -> moved(mongo, events,
                        new RequestMoved(routed.requestId(), routed.serviceCode(), routed.department(),
                                routed.status() == null ? "routed" : routed.status(), routed.sequence()), event))
                .on("city311.request.resolved.v1", Resolved.class, (resolved, event) -> {
                    if (stale(mongo, resolved.requestId(), resolved.sequence(), event)) {
                        return;
                    }
                    apply(mongo, resolved.requestId(), resolved.sequence(), new Update()
                            .set("serviceCode", resolved.serviceCode()).set("department", resolved.department())
                            .set("status", "resolved").set("resolvedAt", resolved.resolvedAt())
                            .set("resolutionSequence", resolved.sequence()));
                    events.publishEvent(new RequestResolved(resolved.requestId(), resolved.serviceCode(),
                            resolved.department(), resolved.resolvedAt(), resolved.sequence()));
                });
        for (String type : new String[] { "city311.request.accepted.v1", "city311.request.updated.v1",
                "city311.request.put-on-hold.v1", "city311.request.resumed.v1", "city311.request.transferred.v1",
                "city311.request.reopened.v1", "city311.request.closed.v1" }) {
            handlers.on(type, RequestMoved.class, (moved, event) -> moved(mongo, events, moved, event));
        }
        return handlers;
    }

    private static void moved(ReactiveMongoTemplate mongo, ApplicationEventPublisher events, RequestMoved moved,
            CloudEvent event) {
        if (stale(mongo, moved.requestId(), moved.sequence(), event)) {
            return;
        }
        Update update = new Update().set("serviceCode", moved.serviceCode()).set("department", moved.department());
        if (moved.status() != null) {
            update.set("status", moved.status());
        }
        apply(mongo, moved.requestId(), moved.sequence(), update);
        if (moved.status() != null && !"resolved".equals(moved.status())) {
            events.publishEvent(new RequestMovedOn(moved.requestId(), moved.status(), moved.sequence()));
        }
    }

    private static boolean stale(ReactiveMongoTemplate mongo, String requestId, long sequence, CloudEvent event) {
        KnownRequest known = mongo.findById(requestId, KnownRequest.class).block(STORE_TIMEOUT);
        if (known != null && known.sequence() > sequence) {
            log.debug("{} {} is older than what is known of {}; ignored", event.type(), event.id(), requestId);
            return true;
        }
        return false;
    }

    /**
     * Applies a routing event only over an older one. Two consumers (this one and request-created's) may insert
     * the same request at once: the loser's insert is refused by the id and tried once more as an update.
     */
    private static void apply(ReactiveMongoTemplate mongo, String requestId, long sequence, Update update) {
        Query olderThanThis = Query.query(Criteria.where("_id").is(requestId).and("sequence").lt(sequence));
        update.set("sequence", sequence);
        try {
            mongo.upsert(olderThanThis, update, KnownRequest.class).block(STORE_TIMEOUT);
        }
        catch (DuplicateKeyException raced) {
            try {
                mongo.upsert(olderThanThis, update, KnownRequest.class).block(STORE_TIMEOUT);
            }
            catch (DuplicateKeyException newerAlreadyApplied) {
                log.debug("A newer event than {} is already applied to {}", sequence, requestId);
            }
        }
    }
}
