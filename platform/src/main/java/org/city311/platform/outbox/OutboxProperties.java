package org.city311.platform.outbox;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the relay looks for pending events, and how often it looks without being told.
 *
 * @param collections the collections whose documents carry an {@code outbox} array
 * @param sweepInterval the safety net: how often the relay looks through every collection for events that no write in
 *        this process told it about (left by a crashed or another instance); it also sweeps once at start and at
 *        stop. Writes wake it at once for their own document, so this is not what keeps latency low.
 * @param maxBackoff the longest pause between tries while Kafka or MongoDB is unreachable
 * @param batchSize documents read per query (and events removed per bulk write, at most this many documents' worth)
 * @param topics the topics this service writes (one writer per topic): created at start if missing
 * @param partitions partitions of a topic created at start; they bound how many consumers share its load
 * @param replicationFactor replicas of a topic created at start (1 locally, 3 in production)
 * @param gather how long a pass waits after the first wake-up for the writes that come right after it: they are
 *        then read and removed together, two store commands for all of them instead of two for each (at 30 requests
 *        a second a pass served one or two events); it is what each event may wait before it is published. Zero: a
 *        pass at once.
 * @param removeEvery how long acknowledged events may stay in their documents, so that one bulk write removes those
 *        of many passes (remembered as sent meanwhile; after a crash they go out again, as at-least-once delivery
 *        allows). Zero: each pass removes its own.
 */
@ConfigurationProperties("city311.outbox")
public record OutboxProperties(
        List<String> collections,
        @DefaultValue("5m") Duration sweepInterval,
        @DefaultValue("30s") Duration maxBackoff,
        @DefaultValue("200") int batchSize,
        List<String> topics,
        @DefaultValue("3") int partitions,
        @DefaultValue("1") short replicationFactor,
        @DefaultValue("50ms") Duration gather,
        @DefaultValue("1s") Duration removeEvery) {

    public OutboxProperties {
        collections = collections == null ? List.of() : List.copyOf(collections);
        topics = topics == null ? List.of() : List.copyOf(topics);
        gather = gather == null || gather.isNegative() ? Duration.ZERO : gather;
        removeEvery = removeEvery == null || removeEvery.isNegative() ? Duration.ZERO : removeEvery;
    }
}
