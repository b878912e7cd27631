package org.city311.feedback.requests;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.city311.platform.events.BatchHandler;
import org.city311.platform.events.EventHandlers;
import org.city311.platform.events.InboundRecord;
import org.springframework.context.ApplicationEventPublisher;

/**
 * One poll of routing events: read (and checked) one by one, holding the events that matter here, then applied
 * together ({@link RequestFold}) with one read of their requests ({@code _id $in}) and one bulk write.
 * <p>
 * Order of the writes: the batch's {@link RequestsChanged} first (the surveys' listeners write the invitations and
 * windows), the requests last. So a batch whose writes were cut short finds its requests as they were, and does it
 * all again (the listeners are idempotent); once a request is written, its changes are. A batch of one event is
 * applied as before batching, in one command that is both the read and the write (the conditional upsert, which
 * answers what was there), its changes after: that event delivered again finds its own sequence stored and has its
 * changes made again.
 * <p>
 * Nothing is held between batches: a revoked partition leaves nothing unwritten.
 */
final class RoutingBatch implements BatchHandler {

    private static final Logger log = LoggerFactory.getLogger(RoutingBatch.class);

    private final KnownRequests requests;
    private final ApplicationEventPublisher events;
    private final List<RequestFold.Kept> kept = new ArrayList<>();
    private EventHandlers handlers;

    RoutingBatch(KnownRequests requests, ApplicationEventPublisher events) {
        this.requests = requests;
        this.events = events;
    }

    /** The handlers that read a record into {@link #kept}. */
    void reading(EventHandlers handlers) {
        this.handlers = handlers;
    }

    void kept(RequestFold.Kept event) {
        kept.add(event);
    }

    @Override
    public void read(InboundRecord record) {
        handlers.dispatch(record);
    }

    @Override
    public void write() {
        try {
            if (kept.size() == 1) {
                applyOne(kept.get(0));
            }
            else if (!kept.isEmpty()) {
                applyAll();
            }
        }
        finally {
            kept.clear();
        }
    }

    @Override
    public void discard() {
        kept.clear();
    }

    private void applyOne(RequestFold.Kept event) {
        KnownRequests.Applied applied = requests.apply(new RequestFold.Write(event.requestId(), event.sequence(),
                event.fields()));
        if (applied.stale()) {
            log.debug("Sequence {} is older than what is known of {}; ignored", event.sequence(), event.requestId());
            return;
        }
        RequestFold.Folded folded = RequestFold.fold(applied.before() == null ? Map.of()
                : Map.of(event.requestId(), applied.before()), List.of(event));
        publish(folded);
    }

    private void applyAll() {
        Set<String> ids = new LinkedHashSet<>();
        kept.forEach(event -> ids.add(event.requestId()));
        RequestFold.Folded folded = RequestFold.fold(requests.find(ids), kept);
        publish(folded);
        Set<String> refused = folded.writes().isEmpty() ? Set.of() : requests.write(folded.writes());
        if (folded.ignored() > 0 || !refused.isEmpty()) {
            log.debug("Of {} events, {} older than what was known or read twice, ignored; newer events stored "
                    + "meanwhile for {}", kept.size(), folded.ignored(), refused);
        }
    }

    private void publish(RequestFold.Folded folded) {
        if (!folded.changes().isEmpty()) {
            events.publishEvent(new RequestsChanged(folded.changes()));
        }
    }
}
