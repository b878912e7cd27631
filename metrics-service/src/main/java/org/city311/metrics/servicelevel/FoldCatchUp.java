package org.city311.metrics.servicelevel;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Tells when the fold has caught up after an assignment: at assignment each partition's end offset is noted, and
 * once every record before it has been through the fold, whatever came of it (counted, ignored as a redelivery, or
 * failed: a caught-up fold never waits on a poison record), {@link PartitionsFolded} is published. A partition with
 * nothing to read is caught up at once.
 * <p>
 * The topics' producers are idempotent, not transactional, so the last record of a partition sits just before its
 * end offset (no commit markers after it).
 */
final class FoldCatchUp {

    private static final Logger log = LoggerFactory.getLogger(FoldCatchUp.class);

    private final ApplicationEventPublisher events;
    private final ServiceLevels serviceLevels;
    /** The partitions still behind, with the offset they must reach (the end offset at assignment). */
    private final Map<TopicPartition, Long> behind = new HashMap<>();
    private boolean announced = true;
    private long assignedAtNanos;

    FoldCatchUp(ApplicationEventPublisher events, ServiceLevels serviceLevels) {
        this.events = events;
        this.serviceLevels = serviceLevels;
    }

    /**
     * @param ends each assigned partition's end offset now
     * @param positions where this consumer will read each of them from
     */
    void assigned(Map<TopicPartition, Long> ends, Map<TopicPartition, Long> positions) {
        assigned(ends, positions, System.nanoTime());
    }

    /**
     * @param assignedAtNanos when the assignment began ({@link System#nanoTime()}): a rebuild has read every topic
     *        by the time the end offsets are known, and the time it took counts
     */
    void assigned(Map<TopicPartition, Long> ends, Map<TopicPartition, Long> positions, long assignedAtNanos) {
        synchronized (this) {
            ends.forEach((partition, end) -> {
                if (positions.getOrDefault(partition, 0L) < end) {
                    behind.put(partition, end);
                }
                else {
                    behind.remove(partition);
                }
            });
            announced = false;
            this.assignedAtNanos = assignedAtNanos;
        }
        announceIfCaughtUp();
    }

    /** A partition that leaves before it caught up is no longer waited for. */
    void revoked(Collection<TopicPartition> partitions) {
        synchronized (this) {
            partitions.forEach(behind::remove);
        }
        announceIfCaughtUp();
    }

    /** Called for every record once the fold is done with it, whatever came of it. */
    void processed(String topic, int partition, long offset) {
        synchronized (this) {
            if (announced || behind.isEmpty()) {
                return;
            }
            TopicPartition read = new TopicPartition(topic, partition);
            Long end = behind.get(read);
            if (end != null && offset + 1 >= end) {
                behind.remove(read);
            }
        }
        announceIfCaughtUp();
    }

    private void announceIfCaughtUp() {
        long tookMillis;
        synchronized (this) {
            if (announced || !behind.isEmpty()) {
                return;
            }
            announced = true;
            tookMillis = (System.nanoTime() - assignedAtNanos) / 1_000_000;
        }
        Set<Integer> owned = new java.util.TreeSet<>(serviceLevels.owned());
        log.info("Fold caught up with partitions {} ({} ms after their assignment)", owned, tookMillis);
        events.publishEvent(new PartitionsFolded(owned));
    }
}
