package org.city311.request.status;

import java.util.ArrayList;
import java.util.List;

import org.city311.platform.events.BatchHandler;
import org.city311.platform.events.CloudEvents;
import org.city311.platform.events.EventHandlers;
import org.city311.platform.events.InboundRecord;

/**
 * One poll of routing-service's topic into the requests' timelines: each record is read into the step it asks for
 * (nothing is written while reading; an unreadable one, or one that breaks its contract, is a poison that goes alone
 * to the dead-letter topic), then the batch's steps are written together by {@link StatusTimeline#apply}, whose
 * writes are guarded, so a batch delivered again (its write failed, or its answer was lost) changes nothing twice.
 * Nothing is held between batches.
 */
final class TimelineBatch implements BatchHandler {

    private final EventHandlers handlers;
    private final StatusTimeline timeline;
    private final List<RoutingStep> steps = new ArrayList<>();

    TimelineBatch(CloudEvents cloudEvents, StatusTimeline timeline) {
        this.timeline = timeline;
        this.handlers = new EventHandlers(cloudEvents);
        RoutingEvents.STEPS.forEach((type, step) -> handlers.on(type, RoutingEvents.RoutingChange.class,
                (change, event) -> steps.add(RoutingStep.of(change, step, event))));
    }

    @Override
    public void read(InboundRecord record) {
        handlers.dispatch(record);
    }

    @Override
    public void write() {
        timeline.apply(steps);
        steps.clear();
    }

    @Override
    public void discard() {
        steps.clear();
    }
}
