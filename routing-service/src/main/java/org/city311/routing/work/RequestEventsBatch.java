package org.city311.routing.work;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.city311.platform.events.BatchHandler;
import org.city311.platform.events.CloudEvents;
import org.city311.platform.events.EventHandlers;
import org.city311.platform.events.InboundRecord;

/**
 * One poll of request-service's topic: the new requests it holds are routed together, with one store command for
 * all their work items ({@link Routing#route}), before the poll's offsets are committed.
 * <p>
 * The rarer events (a link as a duplicate, an Open311 client's update) are acted on one by one, as they are read,
 * after the requests read before them are routed: a request's events are on one partition in order, and each acts
 * on what the ones before it did. Every step is idempotent, so a poll delivered again (after a failed write, or a
 * crash before its offsets were committed) routes nothing twice and applies nothing twice.
 */
final class RequestEventsBatch implements BatchHandler {

    private final Routing routing;
    private final EventHandlers handlers;
    /** The new requests read and not routed yet, by id: a request read twice in one poll is routed once. */
    private final Map<String, WorkEvents.RequestCreated> created = new LinkedHashMap<>();

    RequestEventsBatch(CloudEvents cloudEvents, Routing routing, DuplicateLinks links, ClientUpdates clientUpdates) {
        this.routing = routing;
        this.handlers = new EventHandlers(cloudEvents)
                .on(WorkEvents.RequestCreated.TYPE, WorkEvents.RequestCreated.class,
                        (request, envelope) -> created.putIfAbsent(request.requestId(), request))
                .on(WorkEvents.RequestLinked.TYPE, WorkEvents.RequestLinked.class, (linked, envelope) -> {
                    write();
                    links.on(linked, envelope);
                })
                .on(ClientUpdates.ClientUpdated.TYPE, ClientUpdates.ClientUpdated.class, (update, envelope) -> {
                    write();
                    clientUpdates.on(update, envelope);
                });
    }

    @Override
    public void read(InboundRecord record) {
        handlers.dispatch(record);
    }

    @Override
    public void write() {
        if (created.isEmpty()) {
            return;
        }
        routing.route(List.copyOf(created.values()));
        created.clear();
    }

    @Override
    public void discard() {
        created.clear();
    }
}
