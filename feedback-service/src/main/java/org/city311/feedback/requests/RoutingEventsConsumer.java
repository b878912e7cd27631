package org.city311.feedback.requests;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

import org.city311.contracts.EventContract;
import org.city311.platform.events.BatchConsumer;
import org.city311.platform.events.CloudEvents;
import org.city311.platform.events.EventHandlers;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.messaging.Message;

/**
 * Keeps {@link KnownRequest}s up to date from routing-service's topic (binding {@code routingEvents-in-0}, in batch
 * mode), and tells the rest of the service when requests are resolved or have moved on from a resolution
 * ({@link RequestsChanged}).
 * <p>
 * Only what surveys and feedback need is kept: the department answering for the request (routed, transferred) and
 * whether it stands resolved (resolved, reopened, closed). The events that change neither (accepted, updated,
 * put-on-hold, resumed: routing-service allows them only on open work, in the same department) are read and checked
 * but cost no store command. The events of a poll are folded together ({@link RoutingBatch}): an older event is
 * ignored, the same event again changes nothing twice, and each request is written once, guarded by its sequence.
 */
@Configuration(proxyBeanMethods = false)
class RoutingEventsConsumer {

    /** Events that change neither the department nor whether the request is resolved: nothing to write. */
    static final List<String> IGNORED = List.of(EventContract.REQUEST_ACCEPTED, EventContract.REQUEST_UPDATED,
            EventContract.REQUEST_PUT_ON_HOLD, EventContract.REQUEST_RESUMED);

    record RequestRouted(String requestId, String serviceCode, String department, String status, long sequence) {
    }

    record Resolved(String requestId, String serviceCode, String department, Instant resolvedAt, long sequence) {
    }

    /** Any other routing event: only the department answering for the request, and its status, matter here. */
    record RequestMoved(String requestId, String serviceCode, String department, String status, long sequence) {
    }

    @Bean
    Consumer<Message<List<byte[]>>> routingEvents(CloudEvents cloudEvents, ReactiveMongoTemplate mongo,
            ApplicationEventPublisher events) {
        RoutingBatch batch = new RoutingBatch(new KnownRequests(mongo), events);
        EventHandlers handlers = new EventHandlers(cloudEvents)
                .on(EventContract.REQUEST_ROUTED, RequestRouted.class, (routed, event) -> batch.kept(
                        RequestFold.Kept.moved(routed.requestId(), routed.sequence(), routed.serviceCode(),
                                routed.department(), routed.status() == null ? "routed" : routed.status())))
                .on(EventContract.REQUEST_RESOLVED, Resolved.class, (resolved, event) -> batch.kept(
                        RequestFold.Kept.resolution(resolved.requestId(), resolved.sequence(),
                                resolved.serviceCode(), resolved.department(), resolved.resolvedAt())));
        for (String type : new String[] { EventContract.REQUEST_TRANSFERRED, EventContract.REQUEST_REOPENED,
                EventContract.REQUEST_CLOSED }) {
            handlers.on(type, RequestMoved.class, (moved, event) -> batch.kept(RequestFold.Kept.moved(
                    moved.requestId(), moved.sequence(), moved.serviceCode(), moved.department(), moved.status())));
        }
        for (String type : IGNORED) {
            // still read, so that one that cannot be read goes to the dead letters
            handlers.on(type, RequestMoved.class, (moved, event) -> {
            });
        }
        batch.reading(handlers);
        return new BatchConsumer(batch);
    }
}
