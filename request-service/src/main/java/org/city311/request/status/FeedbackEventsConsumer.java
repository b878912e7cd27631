package org.city311.request.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.city311.contracts.EventContract;
import org.city311.platform.events.BatchConsumer;
import org.city311.platform.events.BatchHandler;
import org.city311.platform.events.CloudEvents;
import org.city311.platform.events.EventHandlers;
import org.city311.platform.events.InboundRecord;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/**
 * Reads feedback-service's topic (binding {@code feedbackEvents-in-0}, in batch mode) into the timelines, so staff
 * see what the customer said next to what the department did. Feedback does not change a request's status
 * (routing-service reopens or closes, and says so on its own topic); it is an internal entry, never shown outside
 * the city. A poll's feedback is written with one bulk write, each entry guarded by its event id.
 */
@Configuration(proxyBeanMethods = false)
class FeedbackEventsConsumer {

    record FeedbackReceived(String requestId, String source, Integer satisfaction, Boolean resolved,
            Instant receivedAt) {
    }

    @Bean
    Consumer<Message<List<byte[]>>> feedbackEvents(CloudEvents cloudEvents, StatusTimeline timeline) {
        return new BatchConsumer(new FeedbackBatch(cloudEvents, timeline));
    }

    /** One poll's feedback, read into notes, then written together. */
    static final class FeedbackBatch implements BatchHandler {

        private final EventHandlers handlers;
        private final StatusTimeline timeline;
        private final List<StatusTimeline.Note> notes = new ArrayList<>();

        FeedbackBatch(CloudEvents cloudEvents, StatusTimeline timeline) {
            this.timeline = timeline;
            this.handlers = new EventHandlers(cloudEvents).on(EventContract.FEEDBACK_RECEIVED, FeedbackReceived.class,
                    (feedback, event) -> notes.add(new StatusTimeline.Note(feedback.requestId(), "feedback-received",
                            feedback.receivedAt() != null ? feedback.receivedAt() : event.time(),
                            "Feedback (" + feedback.source() + "): satisfaction " + feedback.satisfaction() + "/5"
                                    + (feedback.resolved() == null ? ""
                                            : feedback.resolved() ? ", says it is resolved"
                                                    : ", says it is NOT resolved"),
                            event.id(), event.actedby(), event.source())));
        }

        @Override
        public void read(InboundRecord record) {
            handlers.dispatch(record);
        }

        @Override
        public void write() {
            timeline.notes(notes);
            notes.clear();
        }

        @Override
        public void discard() {
            notes.clear();
        }
    }
}
