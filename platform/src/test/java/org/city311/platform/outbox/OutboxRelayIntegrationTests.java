package org.city311.platform.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bson.Document;
import org.city311.platform.test.MongoWireTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The relay against a real broker and the Mongo-wire store, counting the commands it sends the store. */
class OutboxRelayIntegrationTests {

    private static final String TOPIC = "city311.relay-test";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static EmbeddedKafkaKraftBroker broker;
    private static MongoClient client;
    private static ReactiveMongoTemplate mongo;
    private static DefaultKafkaProducerFactory<byte[], byte[]> producers;
    private static final StoreCommands commands = new StoreCommands();

    @BeforeAll
    static void startBrokerAndStore() {
        broker = new EmbeddedKafkaKraftBroker(1, 1, TOPIC);
        broker.afterPropertiesSet();
        client = MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(MongoWireTestServer.uri()))
                .addCommandListener(commands).build());
        mongo = new ReactiveMongoTemplate(client, "relay_test");
        producers = new DefaultKafkaProducerFactory<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true));
    }

    @AfterAll
    static void stopBrokerAndStore() {
        producers.destroy();
        client.close();
        broker.destroy();
    }

    @Test
    void shouldPublishWhatWritesHandOverWithoutReadingAndRemoveWhatManyPassesSentWithOneStoreCommand() {
        // given a relay that removes what it sent once every hour (and at stop), past its first sweep
        MeterRegistry meters = new SimpleMeterRegistry();
        OutboxRelay relay = relay(new KafkaTemplate<>(producers), meters, "handed_things", Duration.ofHours(1),
                Duration.ZERO, Duration.ofHours(1));
        relay.start();
        try {
            await().atMost(WAIT).until(() -> relay.completedPasses() == 1);
            List<String> ids = List.of("311-60000001", "311-60000002", "311-60000003");

            // when three writes insert their documents, each handing its events over, one pass after the other
            commands.start();
            for (int i = 0; i < ids.size(); i++) {
                String id = ids.get(i);
                mongo.insert(thing(id, id, id + "/1", id + "/2"), "handed_things").block();
                relay.wakeUp("handed_things", id, handed(id, id + "/1", id + "/2"));
                long passes = i + 2;
                await().atMost(WAIT).until(() -> relay.completedPasses() == passes);
            }

            // then each document's events are published in order, without reading any document
            List<ConsumerRecord<String, String>> records = records(ids, 6);
            for (String id : ids) {
                assertThat(records.stream().filter(record -> record.key().equals(id)).map(ConsumerRecord::value))
                        .containsExactly(payload(id + "/1"), payload(id + "/2"));
            }
            assertThat(meters.counter("city311.outbox.published").count()).isEqualTo(6);
            assertThat(meters.get("city311.outbox.pending").gauge().value()).isZero();
            assertThat(commands.all()).as("inserts only").allMatch(command -> command.startsWith("insert "));
            assertThat(pending("handed_things", ids.get(0))).as("sent, not yet removed").hasSize(2);
        }
        finally {
            relay.stop();
            commands.stop();
        }
        // and stopping removes all three documents' events with one command
        assertThat(commands.named("update")).singleElement().asString().contains("311-60000001")
                .contains("311-60000003");
        assertThat(List.of("311-60000001", "311-60000002", "311-60000003"))
                .allSatisfy(id -> assertThat(pending("handed_things", id)).isEmpty());
    }

    @Test
    void shouldReadADocumentThatTwoWritesHandedEventsOverForBeforeAPassAndSendWhatWasSentOnlyOnce() {
        // given a relay that gathers for half a second and removes what it sent once an hour (and at stop)
        MeterRegistry meters = new SimpleMeterRegistry();
        OutboxRelay relay = relay(new KafkaTemplate<>(producers), meters, "twice_things", Duration.ofHours(1),
                Duration.ofMillis(500), Duration.ofHours(1));
        relay.start();
        try {
            await().atMost(WAIT).until(() -> relay.completedPasses() == 1);
            String id = "311-70000001";

            // when one write inserts the document with an event and a second pushes another before the pass
            commands.start();
            mongo.insert(thing(id, id, id + "/1"), "twice_things").block();
            relay.wakeUp("twice_things", id, handed(id, id + "/1"));
            mongo.updateFirst(Query.query(Criteria.where("_id").is(id)),
                    new Update().push("outbox", thing(id, id, id + "/2").getList("outbox", Document.class).get(0)),
                    "twice_things").block();
            relay.wakeUp("twice_things", id, handed(id, id + "/2"));
            await().atMost(WAIT).until(() -> relay.completedPasses() == 2);

            // then the pass read the document, which holds both in their order, and sent them so
            assertThat(commands.named("find")).singleElement().asString().contains(id);
            assertThat(records(List.of(id), 2)).extracting(ConsumerRecord::value)
                    .containsExactly(payload(id + "/1"), payload(id + "/2"));

            // and when a third write pushes one more and wakes it without handing it over, while the first two
            // are sent but not yet removed, only the third goes out
            mongo.updateFirst(Query.query(Criteria.where("_id").is(id)),
                    new Update().push("outbox", thing(id, id, id + "/3").getList("outbox", Document.class).get(0)),
                    "twice_things").block();
            relay.wakeUp("twice_things", id);
            await().atMost(WAIT).until(() -> relay.completedPasses() == 3);
            assertThat(records(List.of(id), 3)).extracting(ConsumerRecord::value)
                    .containsExactly(payload(id + "/1"), payload(id + "/2"), payload(id + "/3"));
            assertThat(meters.counter("city311.outbox.published").count()).isEqualTo(3);
        }
        finally {
            relay.stop();
            commands.stop();
        }
        assertThat(pending("twice_things", "311-70000001")).isEmpty();
    }

    @ParameterizedTest(name = "removing what it sent every {0}")
    @ValueSource(strings = { "PT1H", "PT0S" })
    void shouldNotSendAgainWhatAWriteHandsOverAfterAPassAlreadyReadItFromTheDocument(Duration removeEvery) {
        // given a relay past its first sweep that removes what it sent once an hour (and at stop), or at once (the
        // events are gone from the document when the hand-over comes)
        MeterRegistry meters = new SimpleMeterRegistry();
        String collection = "late_things_" + removeEvery.toSeconds();
        OutboxRelay relay = relay(new KafkaTemplate<>(producers), meters, collection, Duration.ofHours(1),
                Duration.ZERO, removeEvery);
        String id = "311-7000010" + (removeEvery.isZero() ? 2 : 1);
        relay.start();
        try {
            await().atMost(WAIT).until(() -> relay.completedPasses() == 1);

            // when a document with one event is read by a pass, after a second write pushed another and before
            // that write handed it over (the pass had taken the hand-overs before it read)
            mongo.insert(thing(id, id, id + "/1"), collection).block();
            mongo.updateFirst(Query.query(Criteria.where("_id").is(id)),
                    new Update().push("outbox", thing(id, id, id + "/2").getList("outbox", Document.class).get(0)),
                    collection).block();
            relay.wakeUp(collection, id);
            await().atMost(WAIT).until(() -> relay.completedPasses() == 2);
            // and the second write's hand-over comes late
            relay.wakeUp(collection, id, handed(id, id + "/2"));
            await().atMost(WAIT).until(() -> relay.completedPasses() == 3);

            // then each event went out once, in order
            assertThat(meters.counter("city311.outbox.published").count()).isEqualTo(2);
            assertThat(records(List.of(id), 2)).extracting(ConsumerRecord::value)
                    .containsExactly(payload(id + "/1"), payload(id + "/2"));
        }
        finally {
            relay.stop();
        }
        assertThat(pending(collection, id)).isEmpty();
    }

    @Test
    void shouldPublishWhatWasWrittenJustBeforeShutdownInItsLastPass() {
        // a relay that sweeps only once an hour: nothing but its last pass can publish the event written below
        OutboxRelay relay = relay(new KafkaTemplate<>(producers), new SimpleMeterRegistry(), "things",
                Duration.ofHours(1));
        relay.start();
        await().atMost(WAIT).until(() -> relay.completedPasses() == 1); // its first, at start

        mongo.insert(thing("thing-1", "311-00000001", "event-1"), "things").block();
        assertThat(pending("things", "thing-1")).as("waiting for the relay").hasSize(1);
        assertThat(relay.completedPasses()).as("no pass since the first").isEqualTo(1);

        relay.stop();

        assertThat(pending("things", "thing-1")).as("published and marked sent while stopping").isEmpty();
        assertThat(relay.isRunning()).isFalse();
        assertThat(records(List.of("311-00000001"), 1)).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("311-00000001");
            assertThat(record.value()).isEqualTo("{\"id\":\"event-1\"}");
            assertThat(new String(record.headers().lastHeader("content-type").value()))
                    .startsWith("application/cloudevents+json");
        });
    }

    @Test
    void shouldPublishTheEventsOfManyDocumentsInOrderAndRemoveThemWithOneStoreCommand() {
        // given twenty documents with three events each, written while the relay was between sweeps
        MeterRegistry meters = new SimpleMeterRegistry();
        OutboxRelay relay = relay(new KafkaTemplate<>(producers), meters, "batch_things", Duration.ofHours(1));
        relay.start();
        try {
            await().atMost(WAIT).until(() -> relay.completedPasses() == 1);
            List<String> ids = IntStream.rangeClosed(1, 20).mapToObj(i -> "311-1000%04d".formatted(i)).toList();
            mongo.insert(ids.stream().map(id -> thing(id, id, id + "/1", id + "/2", id + "/3")).toList(),
                    "batch_things").collectList().block();

            // when the writes wake the relay for their documents
            commands.start();
            relay.wakeUp("batch_things", ids);
            await().atMost(WAIT).until(() -> relay.completedPasses() == 2);
            commands.stop();

            // then all sixty are published, each document's in its order, and removed from the store
            List<ConsumerRecord<String, String>> records = records(ids, 60);
            assertThat(records).hasSize(60);
            for (String id : ids) {
                assertThat(records.stream().filter(record -> record.key().equals(id)).map(ConsumerRecord::value))
                        .containsExactly(payload(id + "/1"), payload(id + "/2"), payload(id + "/3"));
                assertThat(pending("batch_things", id)).isEmpty();
            }
            assertThat(meters.counter("city311.outbox.published").count()).isEqualTo(60);
            // with one read of the twenty documents by _id and one write removing all sixty events
            assertThat(commands.named("update")).hasSize(1);
            assertThat(commands.named("find")).singleElement().asString().contains("\"_id\": {\"$in\"")
                    .doesNotContain("outbox.0");
            assertThat(commands.all()).hasSize(2);
            assertThat(meters.get("city311.outbox.pending").gauge().value()).isZero();
        }
        finally {
            relay.stop();
        }
    }

    @Test
    void shouldServeTheWritesThatWakeItWithinItsGatheringTimeWithOnePass() {
        // given a relay that gathers for half a second, past its first sweep, and ten documents written one by one
        MeterRegistry meters = new SimpleMeterRegistry();
        OutboxRelay relay = relay(new KafkaTemplate<>(producers), meters, "gathered_things", Duration.ofHours(1),
                Duration.ofMillis(500));
        relay.start();
        try {
            await().atMost(WAIT).until(() -> relay.completedPasses() == 1);
            List<String> ids = IntStream.rangeClosed(1, 10).mapToObj(i -> "311-5000%04d".formatted(i)).toList();
            mongo.insert(ids.stream().map(id -> thing(id, id, id + "/1")).toList(), "gathered_things")
                    .collectList().block();

            // when each write wakes it for its own document, as the services' writes do
            commands.start();
            ids.forEach(id -> relay.wakeUp("gathered_things", id));
            await().atMost(WAIT).until(() -> relay.completedPasses() >= 2);
            commands.stop();

            // then one pass published all ten, with one read and one removal
            assertThat(meters.counter("city311.outbox.published").count()).isEqualTo(10);
            assertThat(relay.completedPasses()).isEqualTo(2);
            assertThat(commands.named("find")).hasSize(1);
            assertThat(commands.named("update")).hasSize(1);
            assertThat(ids).allSatisfy(id -> assertThat(pending("gathered_things", id)).isEmpty());
            assertThat(records(ids, 10)).hasSize(10);
        }
        finally {
            relay.stop();
        }
    }

    @Test
    void shouldReadOnlyTheDocumentsItIsWokenForBetweenSweeps() {
        // given a collection with history (nothing pending) next to a busy one, and a relay past its first sweep
        mongo.insert(IntStream.range(0, 50).mapToObj(i -> new Document("_id", "old-" + i).append("outbox", List.of()))
                .toList(), "quiet_things").collectList().block();
        OutboxRelay relay = new OutboxRelay(mongo, new KafkaTemplate<>(producers), new OutboxProperties(
                List.of("quiet_things", "busy_things"), Duration.ofHours(1), Duration.ofSeconds(30), 200, List.of(),
                1, (short) 1, Duration.ZERO, Duration.ZERO), new SimpleMeterRegistry());
        relay.start();
        try {
            await().atMost(WAIT).until(() -> relay.completedPasses() == 1);

            // when ten writes to the busy one wake it, one after the other
            commands.start();
            for (int i = 1; i <= 10; i++) {
                String id = "311-4000%04d".formatted(i);
                mongo.insert(thing(id, id, id + "/1"), "busy_things").block();
                relay.wakeUp("busy_things", id);
                long passes = i + 1;
                await().atMost(WAIT).until(() -> relay.completedPasses() == passes);
            }
            commands.stop();

            // then each pass read its one document by _id and removed its event; the quiet one was not read at all
            assertThat(commands.named("find")).hasSize(10).allMatch(command -> command.startsWith("find busy_things")
                    && command.contains("\"_id\": {\"$in\"") && !command.contains("outbox.0"));
            assertThat(commands.named("update")).hasSize(10);
            assertThat(commands.all()).noneMatch(command -> command.contains("quiet_things"))
                    .noneMatch(command -> command.startsWith("count") || command.startsWith("aggregate"));
        }
        finally {
            relay.stop();
        }
    }

    @Test
    void shouldReadEachCollectionOncePerSweepWhileIdle() {
        // given a collection with history (nothing pending) and a relay that sweeps every 50 ms
        mongo.insert(IntStream.range(0, 50).mapToObj(i -> new Document("_id", "old-" + i).append("outbox", List.of()))
                .toList(), "idle_things").collectList().block();
        OutboxRelay relay = relay(new KafkaTemplate<>(producers), new SimpleMeterRegistry(), "idle_things",
                Duration.ofMillis(50));
        relay.start();
        try {
            await().atMost(WAIT).until(() -> relay.completedSweeps() >= 1);

            // when it idles through five more sweeps
            commands.start();
            long before = relay.completedSweeps();
            await().atMost(WAIT).until(() -> relay.completedSweeps() >= before + 5);
            commands.stop();
            long swept = relay.completedSweeps() - before;

            // then it read the collection once per sweep (one more if one was under way) and nothing else
            assertThat(commands.all()).allMatch(command -> command.startsWith("find idle_things")
                    && command.contains("outbox.0"));
            assertThat((long) commands.all().size()).isBetween(swept, swept + 1);
        }
        finally {
            relay.stop();
        }
    }

    @Test
    void shouldPublishAtTheNextSweepWhatAnotherInstanceWroteWithoutWakingIt() {
        // given a relay that sweeps every 200 ms, past its first sweep
        OutboxRelay relay = relay(new KafkaTemplate<>(producers), new SimpleMeterRegistry(), "other_things",
                Duration.ofMillis(200));
        relay.start();
        try {
            await().atMost(WAIT).until(() -> relay.completedSweeps() >= 1);
            long sweepsBefore = relay.completedSweeps();

            // when another instance writes a document with an event and wakes only its own relay
            mongo.insert(thing("other-1", "311-20000001", "other-event-1"), "other_things").block();

            // then this relay's next sweep publishes it
            await().atMost(WAIT).until(() -> pending("other_things", "other-1").isEmpty());
            assertThat(relay.completedSweeps()).isGreaterThan(sweepsBefore);
            assertThat(records(List.of("311-20000001"), 1)).singleElement()
                    .satisfies(record -> assertThat(record.value()).isEqualTo(payload("other-event-1")));
        }
        finally {
            relay.stop();
        }
    }

    @Test
    void shouldLeaveAnEventWhoseSendFailedAndTheEventsAfterItForTheNextPass() {
        // given Kafka refuses the second of a document's three events, once; another document's event goes through
        FailingOnce kafka = new FailingOnce(producers, "311-30000001/2");
        MeterRegistry meters = new SimpleMeterRegistry();
        OutboxRelay relay = relay(kafka, meters, "failing_things", Duration.ofHours(1));
        relay.start();
        try {
            await().atMost(WAIT).until(() -> relay.completedPasses() == 1);
            mongo.insert(List.of(
                    thing("311-30000001", "311-30000001", "311-30000001/1", "311-30000001/2", "311-30000001/3"),
                    thing("311-30000002", "311-30000002", "311-30000002/1")), "failing_things").collectList().block();

            // when the writes wake the relay
            commands.start();
            relay.wakeUp("failing_things", List.of("311-30000001", "311-30000002"));
            await().atMost(WAIT).until(() -> meters.counter("city311.outbox.publish.failures").count() == 1);
            commands.stop();

            // then the acknowledged first event and the other document's are removed in one write, and the refused
            // event waits with the one after it
            assertThat(commands.named("update")).hasSize(1);
            assertThat(pending("failing_things", "311-30000001")).extracting(event -> event.getString("eventId"))
                    .containsExactly("311-30000001/2", "311-30000001/3");
            assertThat(pending("failing_things", "311-30000002")).isEmpty();
            assertThat(meters.get("city311.outbox.pending").gauge().value()).isEqualTo(1);

            // and the retry after the pause publishes them, in their order
            await().atMost(WAIT).until(() -> pending("failing_things", "311-30000001").isEmpty());
            List<String> published = records(List.of("311-30000001"), 4).stream().map(ConsumerRecord::value).toList();
            assertThat(published).containsSubsequence(payload("311-30000001/1"), payload("311-30000001/2"),
                    payload("311-30000001/3")).endsWith(payload("311-30000001/2"), payload("311-30000001/3"));
            assertThat(meters.counter("city311.outbox.published").count()).isEqualTo(4);
            await().atMost(WAIT).until(() -> meters.get("city311.outbox.pending").gauge().value() == 0);
        }
        finally {
            relay.stop();
        }
    }

    private static OutboxRelay relay(KafkaTemplate<byte[], byte[]> kafka, MeterRegistry meters, String collection,
            Duration sweepInterval) {
        return relay(kafka, meters, collection, sweepInterval, Duration.ZERO);
    }

    private static OutboxRelay relay(KafkaTemplate<byte[], byte[]> kafka, MeterRegistry meters, String collection,
            Duration sweepInterval, Duration gather) {
        return relay(kafka, meters, collection, sweepInterval, gather, Duration.ZERO);
    }

    private static OutboxRelay relay(KafkaTemplate<byte[], byte[]> kafka, MeterRegistry meters, String collection,
            Duration sweepInterval, Duration gather, Duration removeEvery) {
        return new OutboxRelay(mongo, kafka, new OutboxProperties(List.of(collection), sweepInterval,
                Duration.ofSeconds(30), 200, List.of(), 1, (short) 1, gather, removeEvery), meters);
    }

    /** The events of {@link #thing}, as the write that stored them hands them over. */
    private static List<PendingEvent> handed(String key, String... eventIds) {
        return Arrays.stream(eventIds)
                .map(eventId -> new PendingEvent(eventId, TOPIC, key, "test", payload(eventId), null)).toList();
    }

    private static Document thing(String id, String key, String... eventIds) {
        List<Document> events = new ArrayList<>();
        for (String eventId : eventIds) {
            events.add(new Document("eventId", eventId).append("topic", TOPIC).append("key", key)
                    .append("payload", payload(eventId)));
        }
        return new Document("_id", id).append("outbox", events);
    }

    private static String payload(String eventId) {
        return "{\"id\":\"" + eventId + "\"}";
    }

    private static List<Document> pending(String collection, String id) {
        Document document = mongo.findById(id, Document.class, collection).block();
        return document == null ? List.of() : document.getList("outbox", Document.class);
    }

    /** The records on the topic with these keys, in their order, once there are at least {@code count}. */
    private static List<ConsumerRecord<String, String>> records(List<String> keys, int count) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, "relay-test-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            consumer.subscribe(List.of(TOPIC));
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(record -> {
                    if (keys.contains(record.key())) {
                        records.add(record);
                    }
                });
            }
            return records;
        }
    }

    /** Kafka refusing one event, the first time it is sent. */
    private static final class FailingOnce extends KafkaTemplate<byte[], byte[]> {

        private final Set<String> refused = ConcurrentHashMap.newKeySet();
        private final String eventId;

        FailingOnce(DefaultKafkaProducerFactory<byte[], byte[]> producers, String eventId) {
            super(producers);
            this.eventId = eventId;
        }

        @Override
        public CompletableFuture<SendResult<byte[], byte[]>> send(ProducerRecord<byte[], byte[]> record) {
            if (new String(record.value()).equals(payload(eventId)) && refused.add(eventId)) {
                return CompletableFuture.failedFuture(new KafkaException("the broker refused it"));
            }
            return super.send(record);
        }
    }

    /** Every command the test's client sends the store while recording: {@code <command> <collection> <body>}. */
    static final class StoreCommands implements CommandListener {

        private final List<String> seen = new CopyOnWriteArrayList<>();
        private volatile boolean recording;

        @Override
        public void commandStarted(CommandStartedEvent event) {
            if (recording) {
                String name = event.getCommandName();
                var command = event.getCommand();
                String collection = command.isString(name) ? command.getString(name).getValue() : "";
                seen.add(name + " " + collection + " " + command.toJson());
            }
        }

        void start() {
            seen.clear();
            recording = true;
        }

        void stop() {
            recording = false;
        }

        List<String> all() {
            return List.copyOf(seen);
        }

        List<String> named(String command) {
            return seen.stream().filter(seen -> seen.startsWith(command + " ")).toList();
        }
    }
}
