package org.city311.deploy.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;

/**
 * Fault scenario 5: moves every consumer group of the platform back to where it stood at {@code --since}, so that
 * everything published since is delivered again. Kafka moves only the offsets of a group with no member, so the
 * services must be stopped (faults.sh holds them); this waits up to two minutes for each group to empty.
 */
public final class Redeliver {

    private Redeliver() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Options.parse(args, 0);
        String bootstrap = options.getOrDefault("bootstrap", "127.0.0.1:9092");
        long since = Long.parseLong(options.getOrDefault("since", "0"));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Set<String> groups = admin.listConsumerGroups().all().get().stream()
                    .map(ConsumerGroupListing::groupId).collect(Collectors.toCollection(java.util.TreeSet::new));
            awaitEmpty(admin, groups);
            for (String group : groups) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> atSince = admin.listOffsets(
                        committed.keySet().stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.forTimestamp(
                                since)))).all().get();
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(
                        committed.keySet().stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                        .all().get();
                Map<TopicPartition, OffsetAndMetadata> rewound = new HashMap<>();
                long again = 0;
                for (TopicPartition partition : committed.keySet()) {
                    // no record since then: the offset a record published now would get
                    long offset = atSince.get(partition).offset() >= 0 ? atSince.get(partition).offset()
                            : ends.get(partition).offset();
                    offset = Math.min(offset, committed.get(partition).offset());
                    again += committed.get(partition).offset() - offset;
                    rewound.put(partition, new OffsetAndMetadata(offset));
                }
                admin.alterConsumerGroupOffsets(group, rewound).all().get();
                System.out.printf("%s: %d partitions rewound, %d records to be delivered again%n", group,
                        rewound.size(), again);
            }
        }
    }

    private static void awaitEmpty(Admin admin, Set<String> groups) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (true) {
            Map<String, ConsumerGroupDescription> descriptions = admin.describeConsumerGroups(groups).all().get();
            Set<String> busy = descriptions.values().stream()
                    .filter(group -> group.groupState() != GroupState.EMPTY && group.groupState() != GroupState.DEAD)
                    .map(ConsumerGroupDescription::groupId).collect(Collectors.toSet());
            if (busy.isEmpty()) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("consumer groups still have members: " + busy);
            }
            Thread.sleep(1000);
        }
    }
}
