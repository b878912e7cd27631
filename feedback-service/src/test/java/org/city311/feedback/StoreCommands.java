package org.city311.feedback;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import static org.awaitility.Awaitility.await;

/**
 * Every command the service sends the store, as the driver sees it ({@code <command> <collection>} and the command
 * itself), to count what an event costs. Add {@link Recording} to a test's configuration.
 */
public final class StoreCommands implements CommandListener {

    /** A command sent to the store: its name ({@code find}, {@code update}, ...), collection and body. */
    public record Command(String name, String collection, String json) {

        @Override
        public String toString() {
            return name + " " + collection;
        }
    }

    private final List<Command> seen = new CopyOnWriteArrayList<>();

    @Override
    public void commandStarted(CommandStartedEvent event) {
        String name = event.getCommandName();
        var command = event.getCommand();
        String collection = command.isString(name) ? command.getString(name).getValue() : "";
        seen.add(new Command(name, collection, command.toJson()));
    }

    /** Forgets what was seen so far. */
    public void clear() {
        seen.clear();
    }

    /** The commands seen since {@link #clear()} that name this text (a request id, say), oldest first. */
    public List<Command> naming(String text) {
        return seen.stream().filter(command -> command.json().contains(text)).toList();
    }

    /** {@code <command> <collection>} → how many, for a table. */
    public static Map<String, Long> tally(List<Command> commands) {
        return commands.stream().collect(Collectors.groupingBy(Command::toString, TreeMap::new,
                Collectors.counting()));
    }

    /**
     * Waits until the consumer group has committed every record now on these topics: each one is processed, and
     * the commands it cost have been sent.
     */
    public static void awaitConsumed(String brokers, String group, List<String> topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(topics).allTopicNames().get().values()
                    .stream().flatMap(topic -> topic.partitions().stream()
                            .map(partition -> new TopicPartition(topic.name(), partition.partition())))
                    .collect(Collectors.toMap(partition -> partition, partition -> OffsetSpec.latest()));
            Map<TopicPartition, Long> ends = admin.listOffsets(latest).all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset()));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get();
                return ends.entrySet().stream().allMatch(end -> end.getValue() == 0
                        || (committed.get(end.getKey()) != null
                                && committed.get(end.getKey()).offset() >= end.getValue()));
            });
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        catch (java.util.concurrent.ExecutionException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Puts a {@link StoreCommands} on the service's Mongo client. */
    @TestConfiguration(proxyBeanMethods = false)
    public static class Recording {

        @Bean
        StoreCommands storeCommands() {
            return new StoreCommands();
        }

        @Bean
        MongoClientSettingsBuilderCustomizer recordStoreCommands(StoreCommands commands) {
            return settings -> settings.addCommandListener(commands);
        }
    }
}
