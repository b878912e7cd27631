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
        return new EventHandlers(cloudEvents)
                .on(RoutingEvents.ROUTED, RoutingEvents.RequestRouted.class, timeline::on)
                .on(RoutingEvents.RESOLVED, RoutingEvents.RequestResolved.class, timeline::on);
    }
}
