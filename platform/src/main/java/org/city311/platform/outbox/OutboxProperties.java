package org.city311.platform.outbox;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the relay looks for pending events, and how often.
 *
 * @param collections the collections whose documents carry an {@code outbox} array
 * @param pollInterval the safety-net poll; writes also wake the relay at once
 * @param maxBackoff the longest pause between tries while Kafka or MongoDB is unreachable
 * @param batchSize documents read per poll and collection
 */
@ConfigurationProperties("city311.outbox")
public record OutboxProperties(
        List<String> collections,
        @DefaultValue("500ms") Duration pollInterval,
        @DefaultValue("30s") Duration maxBackoff,
        @DefaultValue("200") int batchSize) {

    public OutboxProperties {
        collections = collections == null ? List.of() : List.copyOf(collections);
    }
}
