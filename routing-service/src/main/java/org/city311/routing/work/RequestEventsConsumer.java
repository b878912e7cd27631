package org.city311.routing.work;

import java.util.List;
import java.util.function.Consumer;

import org.city311.platform.events.BatchConsumer;
import org.city311.platform.events.CloudEvents;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/**
 * Reads request-service's topic (binding {@code requestEvents-in-0}, in batch mode): new requests, routed a poll at a
 * time ({@link RequestEventsBatch}), and Open311 clients' updates and duplicate links; a poison goes alone to the
 * dead-letter topic once the records before it are written ({@link BatchConsumer}).
 */
@Configuration(proxyBeanMethods = false)
class RequestEventsConsumer {

    @Bean
    Consumer<Message<List<byte[]>>> requestEvents(CloudEvents cloudEvents, Routing routing, DuplicateLinks links,
            ClientUpdates clientUpdates) {
        return new BatchConsumer(new RequestEventsBatch(cloudEvents, routing, links, clientUpdates));
    }
}
