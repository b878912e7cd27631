package org.city311.feedback.requests;

import java.time.Duration;
import java.util.function.Consumer;

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
 * Reads request-service's topic (binding {@code requestEvents-in-0}) for what feedback-service must know of who
 * asked: the channel the request came in by, the customer segment, for internal requests the requesting
 * department, and who filed it (the event's {@code actedby}: a staff member's id, or an Open311 client's). The event
 * carries no personal data of the resident, and none is kept. Setting the same values again is harmless,
 * so redeliveries are too.
 */
@Configuration(proxyBeanMethods = false)
class RequestEventsConsumer {

    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);

    record RequestCreated(String requestId, String serviceCode, String channel, String segment,
            String requestingDepartment) {
    }

    @Bean
    Consumer<Message<byte[]>> requestEvents(CloudEvents cloudEvents, ReactiveMongoTemplate mongo) {
        return new EventHandlers(cloudEvents).on("city311.request.created.v1", RequestCreated.class,
                (created, event) -> {
                    Query request = Query.query(Criteria.where("_id").is(created.requestId()));
                    Update update = new Update().set("channel", created.channel()).set("segment", created.segment())
                            .set("requestingDepartment", created.requestingDepartment())
                            .setOnInsert("serviceCode", created.serviceCode())
                            // not routed yet: any routing event is newer
                            .setOnInsert("sequence", 0L);
                    if (event.actedby() != null) {
                        // who filed it: a staff member's id (never the resident's), to find their survey by
                        update.set("filedBy", event.actedby());
                    }
                    try {
                        mongo.upsert(request, update, KnownRequest.class).block(STORE_TIMEOUT);
                    }
                    catch (DuplicateKeyException raced) {
                        // routing's consumer inserted it meanwhile: now it is an update
                        mongo.upsert(request, update, KnownRequest.class).block(STORE_TIMEOUT);
                    }
                });
    }
}
