package org.city311.routing.work;

import java.time.Duration;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.city311.contracts.EventContract;
import org.city311.platform.domain.DomainException;
import org.city311.platform.events.CloudEvents;
import org.city311.platform.events.EventHandlers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

/**
 * Reads feedback-service's topic (binding {@code feedbackEvents-in-0}): a customer who says the issue is not
 * resolved reopens the request (NYC's 2025 rule); one who confirms it, or a survey window that passes without an
 * answer, closes it. Each applies only to the resolution the feedback answered: if the request was reopened or
 * resolved again since, the feedback is stale and changes nothing (notes added meanwhile do not count), so
 * redeliveries are harmless too.
 */
@Configuration(proxyBeanMethods = false)
class FeedbackEventsConsumer {

    private static final Logger log = LoggerFactory.getLogger(FeedbackEventsConsumer.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    record FeedbackReceived(String requestId, String source, Boolean resolved, Long resolutionSequence) {
    }

    record SurveyExpired(String requestId, Long resolutionSequence) {
    }

    @Bean
    Consumer<Message<byte[]>> feedbackEvents(CloudEvents cloudEvents, DepartmentWork work) {
        return new EventHandlers(cloudEvents)
                .on(EventContract.FEEDBACK_RECEIVED, FeedbackReceived.class, (feedback, event) -> {
                    if (feedback.resolved() == null || "audit".equals(feedback.source())) {
                        return; // an auditor's verdict is not the customer's
                    }
                    if (feedback.resolved()) {
                        apply(work.close(feedback.requestId(), feedback.resolutionSequence(),
                                "The customer confirmed it is resolved (" + feedback.source() + ")"));
                    }
                    else {
                        apply(work.reopen(feedback.requestId(), null, feedback.resolutionSequence(),
                                "The customer says it is not resolved (" + feedback.source() + ")", "public"));
                    }
                })
                .on(EventContract.SURVEY_EXPIRED, SurveyExpired.class, (expired, event) -> apply(work.close(
                        expired.requestId(), expired.resolutionSequence(),
                        "The survey window ended without a reopen")));
    }

    private static void apply(Mono<WorkItem> action) {
        try {
            action.block(TIMEOUT);
        }
        catch (DomainException notApplicable) {
            // not resolved any more, changed since, or unknown here: the feedback is about a past state
            log.debug("Feedback not applied: {}", notApplicable.detail());
        }
    }
}
