package org.city311.routing.work;

import java.util.function.Consumer;

import org.city311.platform.events.CloudEvents;
import org.city311.platform.events.EventHandlers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/** Reads request-service's topic (binding {@code requestEvents-in-0}): new requests, and Open311 clients' updates. */
@Configuration(proxyBeanMethods = false)
class RequestEventsConsumer {

    @Bean
    Consumer<Message<byte[]>> requestEvents(CloudEvents cloudEvents, Routing routing, DuplicateLinks links,
            ClientUpdates clientUpdates) {
        return new EventHandlers(cloudEvents)
                .on(WorkEvents.RequestCreated.TYPE, WorkEvents.RequestCreated.class, routing::on)
                .on(WorkEvents.RequestLinked.TYPE, WorkEvents.RequestLinked.class, links::on)
                .on(ClientUpdates.ClientUpdated.TYPE, ClientUpdates.ClientUpdated.class, clientUpdates::on);
    }
}
