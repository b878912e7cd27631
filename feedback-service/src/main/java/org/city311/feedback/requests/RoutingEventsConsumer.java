package org.city311.feedback.requests;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * Keeps {@link KnownRequest}s up to date from routing-service's topic (binding {@code routingEvents-in-0}). The
 * upsert only applies a newer sequence: a stale or repeated event matches nothing and its insert is refused by
 * the id, which is then ignored.
 */
@Configuration(proxyBeanMethods = false)
class RoutingEventsConsumer {

    private static final Logger log = LoggerFactory.getLogger(RoutingEventsConsumer.class);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);

    record RequestRouted(String requestId, String serviceCode, String department, long sequence) {
    }

    record RequestResolved(String requestId, String serviceCode, String department, Instant resolvedAt,
            long sequence) {
    }

    /** Any other routing event: only the department answering for the request, and its status, matter here. */
    record RequestMoved(String requestId, String serviceCode, String department, String status, long sequence) {
    }

    @Bean
    Consumer<Message<byte[]>> routingEvents(CloudEvents cloudEvents, ReactiveMongoTemplate mongo) {
        return new EventHandlers(cloudEvents)
                .on("city311.request.routed.v1", RequestRouted.class, (routed, event) -> apply(mongo, routed.requestId(),
                        routed.sequence(), new Update().set("serviceCode", routed.serviceCode())
                                .set("department", routed.department()).set("status", "routed"), event))
                .on("city311.request.resolved.v1", RequestResolved.class, (resolved, event) -> apply(mongo,
                        resolved.requestId(), resolved.sequence(), new Update().set("serviceCode", resolved.serviceCode())
                                .set("department", resolved.department()).set("status", "resolved")
                                .set("resolvedAt", resolved.resolvedAt()), event))
                .on("city311.request.transferred.v1", RequestMoved.class, (moved, event) -> apply(mongo,
                        moved.requestId(), moved.sequence(), new Update().set("serviceCode", moved.serviceCode())
                                .set("department", moved.department()).set("status", moved.status()), event))
                .on("city311.request.reopened.v1", RequestMoved.class, (moved, event) -> apply(mongo,
                        moved.requestId(), moved.sequence(), new Update().set("serviceCode", moved.serviceCode())
                                .set("department", moved.department()).set("status", moved.status()), event));
    }

    private static void apply(ReactiveMongoTemplate mongo, String requestId, long sequence, Update update,
            CloudEvent event) {
        Query olderThanThis = Query.query(Criteria.where("_id").is(requestId).and("sequence").lt(sequence));
        try {
            mongo.upsert(olderThanThis, update.set("sequence", sequence), KnownRequest.class).block(STORE_TIMEOUT);
        }
        catch (DuplicateKeyException newerAlreadyApplied) {
            log.debug("{} {} is older than what is known of {}; ignored", event.type(), event.id(), requestId);
        }
    }
}
