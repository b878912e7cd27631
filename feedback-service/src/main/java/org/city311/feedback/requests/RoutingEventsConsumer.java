package org.city311.feedback.requests;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
import org.springframework.data.mongodb.core.FindAndModifyOptions;
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
 * Only what surveys and feedback need is kept: the department answering for the request (routed, transferred) and
 * whether it stands resolved (resolved, reopened, closed). The events that change neither (accepted, updated,
 * put-on-hold, resumed: routing-service allows them only on open work, in the same department) are read and checked
 * but cost no store command. Each event kept is one conditional upsert, applied only over an older event: an older
 * one is ignored. The same event again (a redelivery) is applied again: the upsert then changes nothing, and the
 * listeners are idempotent, so an event whose processing was cut short between the steps still has its whole effect.
 */
@Configuration(proxyBeanMethods = false)
class RoutingEventsConsumer {

    private static final Logger log = LoggerFactory.getLogger(RoutingEventsConsumer.class);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);

    /** Events that change neither the department nor whether the request is resolved: nothing to write. */
    static final List<String> IGNORED = List.of("city311.request.accepted.v1", "city311.request.updated.v1",
            "city311.request.put-on-hold.v1", "city311.request.resumed.v1");

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
                    Applied applied = apply(mongo, resolved.requestId(), resolved.sequence(), new Update()
                            .set("serviceCode", resolved.serviceCode()).set("department", resolved.department())
                            .set("status", "resolved").set("resolvedAt", resolved.resolvedAt())
                            .set("resolutionSequence", resolved.sequence()), event);
                    if (applied.stale()) {
                        return;
                    }
                    events.publishEvent(new RequestResolved(resolved.requestId(), resolved.serviceCode(),
                            resolved.department(), resolved.resolvedAt(), resolved.sequence(), applied.before()));
                });
        for (String type : new String[] { "city311.request.transferred.v1", "city311.request.reopened.v1",
                "city311.request.closed.v1" }) {
            handlers.on(type, RequestMoved.class, (moved, event) -> moved(mongo, events, moved, event));
        }
        for (String type : IGNORED) {
            // still read, so that one that cannot be read goes to the dead letters
            handlers.on(type, RequestMoved.class, (moved, event) -> {
            });
        }
        return handlers;
    }

    private static void moved(ReactiveMongoTemplate mongo, ApplicationEventPublisher events, RequestMoved moved,
            CloudEvent event) {
        Update update = new Update().set("serviceCode", moved.serviceCode()).set("department", moved.department());
        if (moved.status() != null) {
            update.set("status", moved.status());
        }
        Applied applied = apply(mongo, moved.requestId(), moved.sequence(), update, event);
        KnownRequest before = applied.before();
        if (applied.stale() || before == null || moved.status() == null || "resolved".equals(moved.status())) {
            return;
        }
        // it stood resolved (or this is the same event again, whose listeners may not have run): its window ends
        if (before.resolved() || before.sequence() == moved.sequence()) {
            events.publishEvent(new RequestMovedOn(moved.requestId(), moved.status(), moved.sequence()));
        }
    }

    /**
     * The outcome of applying an event.
     *
     * @param stale a newer event is already applied: this one changed nothing
     * @param before what was known of the request before (null if nothing)
     */
    record Applied(boolean stale, KnownRequest before) {
    }

    /**
     * Applies a routing event unless a newer one is applied, in one command that also answers what was known
     * before. Two consumers (this one and request-created's) may insert the same request at once: the loser's insert
     * is refused by the id and tried once more as an update; refused again, a newer event is there.
     */
    private static Applied apply(ReactiveMongoTemplate mongo, String requestId, long sequence, Update update,
            CloudEvent event) {
        Query notNewer = Query.query(Criteria.where("_id").is(requestId).and("sequence").lte(sequence));
        update.set("sequence", sequence);
        FindAndModifyOptions upsert = FindAndModifyOptions.options().upsert(true).returnNew(false);
        try {
            return new Applied(false, mongo.findAndModify(notNewer, update, upsert, KnownRequest.class)
                    .block(STORE_TIMEOUT));
        }
        catch (DuplicateKeyException raced) {
            try {
                return new Applied(false, mongo.findAndModify(notNewer, update, upsert, KnownRequest.class)
                        .block(STORE_TIMEOUT));
            }
            catch (DuplicateKeyException newerAlreadyApplied) {
                log.debug("{} {} is older than what is known of {}; ignored", event.type(), event.id(), requestId);
                return new Applied(true, null);
            }
        }
    }
}
