package org.city311.platform.test;

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
import org.bson.BsonDocument;

import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import static org.awaitility.Awaitility.await;

/**
 * Every command a service's MongoClient sends the store, as the store counts them: one per round trip, a bulk write
 * one command however many statements it carries. Register it on the client of the test's context with
 * {@link #onTheServicesClient()} (a {@code @TestConfiguration} bean), then count what a scenario cost:
 * <pre>{@code
 * int mark = commands.mark();
 * ... the scenario ...
 * assertThat(commands.since(mark, "update", "ledgers")).hasSize(1);
 * }</pre>
 */
public final class StoreCommands implements CommandListener {

    /**
     * One command sent.
     *
     * @param name {@code insert}, {@code update}, {@code find}, ...
     * @param collection the collection it names ("" for commands that name none)
     * @param statements how many writes a write command carries (its {@code documents}, {@code updates} or
     *        {@code deletes}); 0 for reads and other commands
     */
    public record Command(String database, String name, String collection, int statements, BsonDocument body) {

        /** The command as JSON, to look for an id or an operator in it. */
        public String json() {
            return body.toJson();
        }

        /** {@code <command> <collection>}, as {@link #tally} counts them. */
        @Override
        public String toString() {
            return name + " " + collection;
        }
    }

    private final List<Command> seen = new CopyOnWriteArrayList<>();

    @Override
    public void commandStarted(CommandStartedEvent event) {
        String name = event.getCommandName();
        BsonDocument command = event.getCommand();
        String collection = command.isString(name) ? command.getString(name).getValue() : "";
        int statements = 0;
        for (String writes : List.of("documents", "updates", "deletes")) {
            if (command.isArray(writes)) {
                statements = command.getArray(writes).size();
            }
        }
        // a copy: the driver releases the buffer behind the command once it is sent
        seen.add(new Command(event.getDatabaseName(), name, collection, statements, command.clone()));
    }

    /** Registers these on the client Spring Boot makes for the service. */
    public MongoClientSettingsBuilderCustomizer onTheServicesClient() {
        return settings -> settings.addCommandListener(this);
    }

    /** A place to count from. */
    public int mark() {
        return seen.size();
    }

    /** The commands of that name on that collection sent since {@code mark}. */
    public List<Command> since(int mark, String name, String collection) {
        return seen.subList(mark, seen.size()).stream()
                .filter(command -> command.name().equals(name) && command.collection().equals(collection))
                .toList();
    }

    /** Every command sent since {@code mark}. */
    public List<Command> since(int mark) {
        return List.copyOf(seen.subList(mark, seen.size()));
    }

    /** Forgets what was seen so far (marks taken before it mean nothing after). */
    public void clear() {
        seen.clear();
    }

    /** The commands seen since {@link #clear()} that name this text (a request id, say), oldest first. */
    public List<Command> naming(String text) {
        return seen.stream().filter(command -> command.json().contains(text)).toList();
    }

    /**
     * The reads and writes among these whose filter does not pin {@code _id} (by a value, {@code $eq} or
     * {@code $in}): the ones that walk a whole collection on the local store, and need a secondary index on MongoDB.
     * A bulk write counts when any of its statements is not pinned; an aggregation when its first stage is not a
     * {@code $match} that pins {@code _id}.
     */
    public static List<Command> notIdPinned(List<Command> commands) {
        return commands.stream().filter(command -> filters(command).stream()
                .anyMatch(filter -> !idPinned(filter))).toList();
    }

    private static List<BsonDocument> filters(Command command) {
        BsonDocument body = command.body();
        List<BsonDocument> filters = new java.util.ArrayList<>();
        switch (command.name()) {
            case "find" -> filters.add(body.isDocument("filter") ? body.getDocument("filter") : new BsonDocument());
            case "count", "distinct", "findAndModify" ->
                    filters.add(body.isDocument("query") ? body.getDocument("query") : new BsonDocument());
            case "update", "delete" -> body.getArray(command.name().equals("update") ? "updates" : "deletes",
                    new org.bson.BsonArray()).forEach(statement -> filters.add(statement.asDocument()
                            .getDocument("q", new BsonDocument())));
            case "aggregate" -> {
                var pipeline = body.getArray("pipeline", new org.bson.BsonArray());
                BsonDocument first = pipeline.isEmpty() ? new BsonDocument() : pipeline.get(0).asDocument();
                filters.add(first.getDocument("$match", new BsonDocument()));
            }
            default -> {
                // inserts, getMore, index and server commands read no filter
            }
        }
        return filters;
    }

    private static boolean idPinned(BsonDocument filter) {
        if (!filter.containsKey("_id")) {
            return false;
        }
        var id = filter.get("_id");
        return !id.isDocument() || id.asDocument().containsKey("$in") || id.asDocument().containsKey("$eq")
                || id.asDocument().keySet().stream().noneMatch(key -> key.startsWith("$"));
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
