package org.city311.metrics.servicelevel;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import org.city311.platform.events.CloudEvent;
import org.city311.platform.events.CloudEvents;
import org.city311.platform.events.EventHandlers;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.messaging.Message;

/**
 * Folds the events of all three topics into the counters. Order across topics does not matter for counting;
 * duplicates are refused by the counted event's key.
 */
@Configuration(proxyBeanMethods = false)
class EventFold {

    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);

    record RequestCreated(String requestId, String channel, String segment) {
    }

    record RequestRouted(String requestId, String department) {
    }

    record RequestResolved(String requestId, String department) {
    }

    record FeedbackReceived(String requestId, String department, String source) {
    }

    record FollowUpOpened(String followUpId, String requestId, String department, String reason) {
    }

    record FollowUpClosed(String followUpId, String requestId, String department, Boolean onTime) {
    }

    record FollowUpOverdue(String followUpId, String requestId, String department) {
    }

    record RequestTransferred(String requestId, String fromDepartment, String toDepartment) {
    }

    record RequestReopened(String requestId, String department) {
    }

    private final ReactiveMongoTemplate mongo;
    private final ServiceLevelCounters counters;

    EventFold(ReactiveMongoTemplate mongo, ServiceLevelCounters counters) {
        this.mongo = mongo;
        this.counters = counters;
    }

    @Bean
    Consumer<Message<byte[]>> requestEvents(CloudEvents cloudEvents) {
        return new EventHandlers(cloudEvents).on("city311.request.created.v1", RequestCreated.class,
                (created, event) -> count("created:" + created.requestId(), ServiceLevelCounters.CREATED,
                        Map.of("channel", created.channel(), "segment", created.segment()), event));
    }

    @Bean
    Consumer<Message<byte[]>> routingEvents(CloudEvents cloudEvents) {
        return new EventHandlers(cloudEvents)
                // A request's first routing counts once; moving it later is a transfer, counted as such.
                .on("city311.request.routed.v1", RequestRouted.class,
                        (routed, event) -> count("routed:" + routed.requestId(), ServiceLevelCounters.ROUTED,
                                Map.of("department", routed.department()), event))
                .on("city311.request.resolved.v1", RequestResolved.class,
                        (resolved, event) -> count(event.id(), ServiceLevelCounters.RESOLVED,
                                Map.of("department", resolved.department()), event))
                // Each hop of the runaround, from the department that let it go to the one that got it.
                .on("city311.request.transferred.v1", RequestTransferred.class,
                        (transferred, event) -> count(event.id(), ServiceLevelCounters.TRANSFERRED,
                                Map.of("from_department", transferred.fromDepartment(),
                                        "to_department", transferred.toDepartment()), event))
                .on("city311.request.reopened.v1", RequestReopened.class,
                        (reopened, event) -> count(event.id(), ServiceLevelCounters.REOPENED,
                                Map.of("department", reopened.department()), event));
    }

    @Bean
    Consumer<Message<byte[]>> feedbackEvents(CloudEvents cloudEvents) {
        return new EventHandlers(cloudEvents)
                .on("city311.feedback.received.v1", FeedbackReceived.class,
                        (feedback, event) -> count(event.id(), ServiceLevelCounters.FEEDBACK,
                                Map.of("department", feedback.department(), "source", feedback.source()), event))
                // Negative feedback must be followed up: opened, closed (on time or not), and missed deadlines;
                // each happens once per follow-up, whatever the events' ids.
                .on("city311.followup.opened.v1", FollowUpOpened.class,
                        (opened, event) -> count("followup-opened:" + opened.followUpId(),
                                ServiceLevelCounters.FOLLOWUPS_OPENED,
                                Map.of("department", opened.department(), "reason", opened.reason()), event))
                .on("city311.followup.closed.v1", FollowUpClosed.class,
                        (closed, event) -> count("followup-closed:" + closed.followUpId(),
                                ServiceLevelCounters.FOLLOWUPS_CLOSED,
                                Map.of("department", closed.department(),
                                        "on_time", String.valueOf(Boolean.TRUE.equals(closed.onTime()))), event))
                .on("city311.followup.overdue.v1", FollowUpOverdue.class,
                        (overdue, event) -> count("followup-missed:" + overdue.followUpId(),
                                ServiceLevelCounters.FOLLOWUPS_MISSED,
                                Map.of("department", overdue.department()), event));
    }

    private void count(String key, String metric, Map<String, String> tags, CloudEvent event) {
        try {
            mongo.insert(new CountedEvent(key, metric, tags, ServiceLevelCounters.series(metric, tags), event.time()))
                    .block(STORE_TIMEOUT);
        }
        catch (DuplicateKeyException alreadyCounted) {
            return;
        }
        counters.increment(metric, tags, 1);
    }
}
