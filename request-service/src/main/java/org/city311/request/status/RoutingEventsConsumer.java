package org.city311.request.status;

import java.util.List;
import java.util.function.Consumer;

import org.city311.platform.events.BatchConsumer;
import org.city311.platform.events.CloudEvents;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/**
 * Reads routing-service's topic (binding {@code routingEvents-in-0}, in batch mode) into the requests' timelines: a
 * poll's events are written together ({@link TimelineBatch}); a poison goes alone to the dead-letter topic, after
 * the events before it are written ({@link BatchConsumer}).
 */
@Configuration(proxyBeanMethods = false)
class RoutingEventsConsumer {

    @Bean
    Consumer<Message<List<byte[]>>> routingEvents(CloudEvents cloudEvents, StatusTimeline timeline) {
        return new BatchConsumer(new TimelineBatch(cloudEvents, timeline));
    }
}
