package org.city311.metrics.servicelevel;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.city311.platform.events.BatchConsumer;
import org.city311.platform.events.CloudEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cloud.stream.binder.kafka.KafkaBindingRebalanceListener;
import org.springframework.cloud.stream.binder.kafka.utils.DlqDestinationResolver;
import org.springframework.cloud.stream.binder.kafka.support.ConsumerConfigCustomizer;
import org.springframework.cloud.stream.binder.kafka.utils.DlqPartitionFunction;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.messaging.Message;

/**
 * Folds the events of the three topics into the ledgers of the partitions this instance owns.
 * <p>
 * One binding reads all three topics, so that Kafka's range assignor gives partition {@code p} of each to the same
 * instance (see {@link ServiceLevels}). When partitions are assigned, their ledgers are loaded from the store and
 * folded again before any of their records is processed; when they are revoked, their figures leave with them.
 * Once the records that were on the assigned partitions have been read too, {@link PartitionsFolded} is published.
 */
@Configuration(proxyBeanMethods = false)
class EventFold {

    private static final Logger log = LoggerFactory.getLogger(EventFold.class);
    private static final String GROUP = "metrics-service";
    private static final Duration REBUILD_POLL_INTERVAL = Duration.ofHours(2);

    private final ServiceLevels serviceLevels;
    private final LedgerStore store;
    private final FoldCatchUp catchUp;

    EventFold(ServiceLevels serviceLevels, LedgerStore store, ApplicationEventPublisher events) {
        this.serviceLevels = serviceLevels;
        this.store = store;
        this.catchUp = new FoldCatchUp(events, serviceLevels);
    }

    /**
     * A batch binding: the events of a poll are read into their ledgers' new entries, the ledgers they changed are
     * written with one bulk write, and only then are they counted and their offsets committed ({@link LedgerBatch});
     * a poison goes alone to the dead-letter topic, after the events before it are written ({@link BatchConsumer}).
     */
    @Bean
    Consumer<Message<List<byte[]>>> serviceEvents(CloudEvents cloudEvents) {
        return new BatchConsumer(new LedgerBatch(cloudEvents, serviceLevels, store, catchUp));
    }

    /** Dead letters keep the platform's naming, {@code <topic>.dlq.<service>}, though one binding reads three topics. */
    @Bean
    DlqDestinationResolver deadLetterTopics() {
        return (record, exception) -> record.topic() + ".dlq." + GROUP;
    }

    /** A dead-letter topic created on first use may have one partition: dead letters need no ordering. */
    @Bean
    DlqPartitionFunction deadLetterPartition() {
        return DlqPartitionFunction.PARTITION_ZERO;
    }

    /**
     * A rebuild reads every topic while the partitions are being assigned (so the group's consumer is not polled
     * meanwhile): Kafka must not take that for a stuck consumer.
     */
    @Bean
    ConsumerConfigCustomizer rebuildPollInterval(@Value("${city311.metrics.rebuild:false}") boolean rebuild) {
        return (configuration, binding, destination) -> {
            if (rebuild) {
                configuration.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) REBUILD_POLL_INTERVAL.toMillis());
            }
        };
    }

    @Bean
    KafkaBindingRebalanceListener partitionOwnership(
            @Value("${city311.metrics.rebuild:false}") boolean rebuild,
            @Value("${city311.metrics.rebuild-held-entries:1000000}") int rebuildHeldEntries,
            @Value("${city311.metrics.rebuild-truncated:false}") boolean rebuildTruncated,
            CloudEvents cloudEvents, Environment environment) {
        return new KafkaBindingRebalanceListener() {

            @Override
            public void onPartitionsRevokedAfterCommit(String bindingName,
                    org.apache.kafka.clients.consumer.Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                Set<Integer> numbers = numbers(partitions);
                catchUp.revoked(partitions);
                serviceLevels.release(numbers);
                log.info("Partitions {} revoked: their service levels are now another instance's", numbers);
            }

            @Override
            public void onPartitionsAssigned(String bindingName,
                    org.apache.kafka.clients.consumer.Consumer<?, ?> consumer, Collection<TopicPartition> partitions,
                    boolean initial) {
                long assignedAt = System.nanoTime();
                Set<Integer> numbers = numbers(partitions);
                checkCoPartitioned(partitions);
                Map<TopicPartition, Long> beginnings = rebuild && initial ? consumer.beginningOffsets(partitions)
                        : Map.of();
                List<TopicPartition> truncated = beginnings.entrySet().stream()
                        .filter(beginning -> beginning.getValue() > 0).map(Map.Entry::getKey).sorted(
                                java.util.Comparator.comparing(TopicPartition::toString)).toList();
                if (!truncated.isEmpty() && !rebuildTruncated) {
                    // a rebuild deletes the ledgers: the topics must still hold every event they were folded from
                    log.error("Not rebuilding partitions {}: {} no longer begin at their first event (retention has "
                            + "removed the oldest), so the ledgers of requests older than what they hold could not be "
                            + "read again. The stored ledgers are kept and counted. To rebuild from what the topics "
                            + "still hold, losing the rest, set METRICS_REBUILD_TRUNCATED=true.", numbers, truncated);
                }
                else if (rebuild && initial) {
                    store.delete(numbers);
                    serviceLevels.release(numbers);
                    numbers.forEach(serviceLevels::partition);
                    log.warn("Rebuilding partitions {}: ledgers deleted, reading every topic from the beginning",
                            numbers);
                    // from the beginning after a crash too, until the rebuild's read is stored
                    consumer.commitSync(offsets(beginnings));
                    Map<TopicPartition, Long> carryOn = new RebuildRead(cloudEvents, serviceLevels, store,
                            kafkaClientConfig(environment), rebuildHeldEntries)
                            .read(beginnings, consumer.endOffsets(partitions));
                    carryOn.forEach(consumer::seek);
                    consumer.commitSync(offsets(carryOn));
                }
                Set<Integer> toLoad = new TreeSet<>(numbers);
                toLoad.removeAll(serviceLevels.owned());
                load(toLoad);
                // What is on the topics now is what the fold must read before its figures are complete.
                try {
                    Map<TopicPartition, Long> positions = new HashMap<>();
                    partitions.forEach(partition -> positions.put(partition, consumer.position(partition)));
                    catchUp.assigned(consumer.endOffsets(partitions), positions, assignedAt);
                }
                catch (RuntimeException ex) {
                    // Only the goals' first computation waits on it: they come at the next refresh instead.
                    log.warn("Could not read the end offsets of partitions {} ({}): not tracking the catch-up",
                            numbers, ex.getMessage());
                }
            }
        };
    }

    /** Folds the stored ledgers of newly owned partitions: the figures their previous owner had. */
    void load(Set<Integer> numbers) {
        if (numbers.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        numbers.forEach(serviceLevels::partition);
        long ledgers = store.ledgers(numbers)
                .doOnNext(ledger -> ledger.entries().forEach(entry ->
                        serviceLevels.apply(ledger.partition(), ledger.id(), entry)))
                .count()
                .block(Duration.ofMinutes(10));
        log.info("Partitions {} assigned: {} ledgers folded from the store in {} ms", numbers, ledgers,
                (System.nanoTime() - started) / 1_000_000);
    }

    private static Map<TopicPartition, OffsetAndMetadata> offsets(Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        offsets.forEach((partition, offset) -> commit.put(partition, new OffsetAndMetadata(offset)));
        return commit;
    }

    /** The broker and client settings the binder's consumer has (bootstrap servers, security), for a consumer of its own. */
    static Map<String, Object> kafkaClientConfig(Environment environment) {
        Map<String, Object> config = new HashMap<>(Binder.get(environment)
                .bind("spring.cloud.stream.kafka.binder.configuration", Bindable.mapOf(String.class, String.class))
                .orElse(Map.of()));
        Binder.get(environment).bind("spring.cloud.stream.kafka.binder.consumer-properties",
                Bindable.mapOf(String.class, String.class)).ifBound(config::putAll);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                environment.getProperty("spring.cloud.stream.kafka.binder.brokers", "localhost:9092"));
        return config;
    }

    private static Set<Integer> numbers(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The fold is only right if every topic's partition p came here together: say so loudly if not. */
    private static void checkCoPartitioned(Collection<TopicPartition> partitions) {
        Map<String, Set<Integer>> byTopic = new TreeMap<>();
        partitions.forEach(tp -> byTopic.computeIfAbsent(tp.topic(), topic -> new TreeSet<>()).add(tp.partition()));
        if (byTopic.values().stream().distinct().count() > 1) {
            log.error("Topics are not co-partitioned ({}): give city311.requests, city311.routing and "
                    + "city311.feedback the same partition count, or figures will be split across instances", byTopic);
        }
    }
}
