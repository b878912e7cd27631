package org.city311.request.status;

import java.time.Instant;
import java.util.function.Consumer;

import org.city311.platform.events.CloudEvents;
import org.city311.platform.events.EventHandlers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/**
 * Reads feedback-service's topic (binding {@code feedbackEvents-in-0}) into the timelines, so staff see what the
 * customer said next to what the department did. Feedback does not change a request's status (routing-service
 * reopens or closes, and says so on its own topic); it is an internal entry, never shown outside the city.
 */
@Configuration(proxyBeanMethods = false)
class FeedbackEventsConsumer {

    record FeedbackReceived(String requestId, String source, Integer satisfaction, Boolean resolved,
            Instant receivedAt) {
    }

    @Bean
    Consumer<Message<byte[]>> feedbackEvents(CloudEvents cloudEvents, StatusTimeline timeline) {
        return new EventHandlers(cloudEvents).on("city311.feedback.received.v1", FeedbackReceived.class,
                (feedback, event) -> timeline.note(feedback.requestId(), "feedback-received", feedback.receivedAt(),
                        "Feedback (" + feedback.source() + "): satisfaction " + feedback.satisfaction() + "/5"
                                + (feedback.resolved() == null ? ""
                                        : feedback.resolved() ? ", says it is resolved" : ", says it is NOT resolved"),
                        event));
    }
}
