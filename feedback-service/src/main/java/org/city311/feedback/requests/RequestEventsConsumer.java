package org.city311.feedback.requests;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.city311.contracts.EventContract;
import org.city311.platform.events.BatchConsumer;
import org.city311.platform.events.BatchHandler;
import org.city311.platform.events.CloudEvents;
import org.city311.platform.events.EventHandlers;
import org.city311.platform.events.InboundRecord;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.messaging.Message;

/**
 * Reads request-service's topic (binding {@code requestEvents-in-0}, in batch mode) for what feedback-service must
 * know of who asked: the channel the request came in by, the customer segment, for internal requests the requesting
 * department, and who filed it (the event's {@code actedby}: a staff member's id, or an Open311 client's). The event
 * carries no personal data of the resident, and none is kept. A poll's requests are upserted with one bulk write;
 * setting the same values again is harmless, so redeliveries are too.
 */
@Configuration(proxyBeanMethods = false)
class RequestEventsConsumer {

    record RequestCreated(String requestId, String serviceCode, String channel, String segment,
            String requestingDepartment) {
    }

    @Bean
    Consumer<Message<List<byte[]>>> requestEvents(CloudEvents cloudEvents, ReactiveMongoTemplate mongo) {
        KnownRequests requests = new KnownRequests(mongo);
        Map<String, Update> created = new LinkedHashMap<>();
        EventHandlers handlers = new EventHandlers(cloudEvents).on(EventContract.REQUEST_CREATED,
                RequestCreated.class, (request, event) -> {
                    Update update = new Update().set("channel", request.channel()).set("segment", request.segment())
                            .set("requestingDepartment", request.requestingDepartment())
                            .setOnInsert("serviceCode", request.serviceCode())
                            // not routed yet: any routing event is newer
                            .setOnInsert("sequence", 0L);
                    if (event.actedby() != null) {
                        // who filed it: a staff member's id (never the resident's), to find their survey by
                        update.set("filedBy", event.actedby());
                    }
                    created.put(request.requestId(), update);
                });
        return new BatchConsumer(new BatchHandler() {

            @Override
            public void read(InboundRecord record) {
                handlers.dispatch(record);
            }

            @Override
            public void write() {
                try {
                    if (!created.isEmpty()) {
                        requests.upsert(created);
                    }
                }
                finally {
                    created.clear();
                }
            }

            @Override
            public void discard() {
                created.clear();
            }
        });
    }
}
