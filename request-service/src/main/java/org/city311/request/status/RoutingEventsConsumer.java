package org.city311.request.status;

import java.util.function.Consumer;

import org.city311.platform.events.CloudEvents;
import org.city311.platform.events.EventHandlers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/** Reads routing-service's topic (binding {@code routingEvents-in-0}) into the requests' timelines. */
@Configuration(proxyBeanMethods = false)
class RoutingEventsConsumer {

    @Bean
    Consumer<Message<byte[]>> routingEvents(CloudEvents cloudEvents, StatusTimeline timeline) {
        EventHandlers handlers = new EventHandlers(cloudEvents);
        RoutingEvents.STEPS.forEach((type, step) -> handlers.on(type, RoutingEvents.RoutingChange.class,
                (change, envelope) -> timeline.on(change, step, envelope)));
        return handlers;
    }
}
