package org.city311.platform.events;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.KafkaTestClient.Outgoing;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.platform.test.StoreCommands;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.stream.binding.BindingsLifecycleController;
import org.springframework.cloud.stream.binding.BindingsLifecycleController.State;
import org.springframework.context.annotation.Bean;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.messaging.Message;
import org.springframework.test.context.ContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A batch binding ({@link BatchConsumer}) against the real broker and the Mongo-wire store: a consumer that applies
 * {@code city311.test.counted.v1} events by upserting one document per event id, with one bulk write per batch.
 * Each test sends its records while the binding is stopped, so that they arrive as one batch when it starts.
 */
@SpringBootTest(classes = BatchConsumerIntegrationTests.App.class, properties = {
        "logging.level.root=WARN", "logging.level.org.city311=INFO",
        "spring.application.name=batch-tests",
        "spring.cloud.function.definition=tallies",
        "spring.cloud.stream.bindings.tallies-in-0.destination=" + BatchConsumerIntegrationTests.TOPIC,
        "spring.cloud.stream.bindings.tallies-in-0.group=batch-tests",
        "spring.cloud.stream.bindings.tallies-in-0.consumer.batch-mode=true",
        "spring.cloud.stream.bindings.tallies-in-0.consumer.use-native-decoding=true",
        "spring.cloud.stream.bindings.tallies-in-0.consumer.max-attempts=3",
        "spring.cloud.stream.bindings.tallies-in-0.consumer.back-off-initial-interval=50",
        "spring.cloud.stream.bindings.tallies-in-0.consumer.back-off-max-interval=10000",
        "spring.cloud.stream.kafka.bindings.tallies-in-0.consumer.start-offset=earliest",
        "spring.cloud.stream.kafka.bindings.tallies-in-0.consumer.enable-dlq=true",
        "spring.cloud.stream.kafka.bindings.tallies-in-0.consumer.dlq-name=" + BatchConsumerIntegrationTests.DLQ,
        "spring.cloud.stream.kafka.bindings.tallies-in-0.consumer.configuration.max.poll.records=100",
        "city311.bindings.stop-timeout=3s",
        "city311.bindings.gather.tallies-in-0=500ms",
        // the consumer lag as the services compute it (in the background), every second here instead of 30 s
        "spring.cloud.stream.kafka.binder.metrics.default-offset-lag-metrics-enabled=false",
        "spring.cloud.stream.kafka.binder.metrics.offset-lag-metrics-interval=1s",
        // as the services' application.yml: the gauge's end-offset requests make kafka-clients warn for nothing
        "logging.level.org.apache.kafka.clients.consumer.internals.OffsetFetcherUtils=ERROR",
        "city311.security.jwt.issuer=http://localhost:9000", "city311.security.jwt.audience=city311" })
@ContextConfiguration(initializers = ServiceIntegrationTest.Infrastructure.class)
@EmbeddedKafka(partitions = 1, topics = BatchConsumerIntegrationTests.TOPIC)
@ExtendWith(OutputCaptureExtension.class)
class BatchConsumerIntegrationTests {

    static final String TOPIC = "city311.batch-test";
    static final String DLQ = TOPIC + ".dlq.batch-tests";
    static final String BINDING = "tallies-in-0";
    static final String COLLECTION = "applied";

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        @Bean
        TestStore testStore(ReactiveMongoTemplate mongo) {
            return new TestStore(mongo);
        }

        @Bean
        Consumer<Message<List<byte[]>>> tallies(CloudEvents cloudEvents, TestStore store) {
            return new BatchConsumer(new Tally(cloudEvents, store));
        }

        @Bean
        StoreCommands storeCommands() {
            return new StoreCommands();
        }

        @Bean
        MongoClientSettingsBuilderCustomizer countStoreCommands(StoreCommands commands) {
            return commands.onTheServicesClient();
        }
    }

    record Counted(String requestId) {
    }

    /** The consumer under test: its handler holds the batch's event ids, its write upserts them in one bulk write. */
    static final class Tally implements BatchHandler {

        private final EventHandlers handlers;
        private final TestStore store;
        private final List<String> held = new ArrayList<>();

        Tally(CloudEvents cloudEvents, TestStore store) {
            this.store = store;
            this.handlers = new EventHandlers(cloudEvents)
                    .on("city311.test.counted.v1", Counted.class, (data, event) -> held.add(event.id()));
        }

        @Override
        public void read(InboundRecord record) {
            handlers.dispatch(record);
        }

        @Override
        public void write() {
            store.write(List.copyOf(held));
            held.clear();
        }

        @Override
        public void discard() {
            held.clear();
        }
    }

    /** The store, which a test may take down for some writes, or whose answers it may lose. */
    static final class TestStore {

        final ReactiveMongoTemplate mongo;
        /** What each write that reached the store carried, in order. */
        final List<List<String>> writes = new CopyOnWriteArrayList<>();
        final AtomicInteger attempts = new AtomicInteger();
        final AtomicInteger downFor = new AtomicInteger();
        final AtomicInteger answersToLose = new AtomicInteger();

        TestStore(ReactiveMongoTemplate mongo) {
            this.mongo = mongo;
        }

        void write(List<String> eventIds) {
            if (eventIds.isEmpty()) {
                return;
            }
            attempts.incrementAndGet();
            if (downFor.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                throw new DataAccessResourceFailureException("store down");
            }
            BulkOperations.BulkMode unordered = BulkOperations.BulkMode.UNORDERED;
            var bulk = mongo.bulkOps(unordered, COLLECTION);
            eventIds.forEach(id -> bulk.upsert(Query.query(Criteria.where("_id").is(id)),
                    new Update().setOnInsert("batch", writes.size())));
            bulk.execute().block(Duration.ofSeconds(30));
            writes.add(eventIds);
            if (answersToLose.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                throw new DataAccessResourceFailureException("the store took the write, its answer was lost");
            }
        }

        long stored(List<String> eventIds) {
            return mongo.count(Query.query(Criteria.where("_id").in(eventIds)), COLLECTION)
                    .block(Duration.ofSeconds(30));
        }
    }

    @Autowired
    TestStore store;

    @Autowired
    BindingsLifecycleController bindings;

    @Autowired
    BindingShutdown shutdown;

    @Autowired
    StoreCommands commands;

    @Autowired
    MeterRegistry meters;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @BeforeEach
    void storeUp() {
        store.writes.clear();
        store.attempts.set(0);
        store.downFor.set(0);
        store.answersToLose.set(0);
    }

    @AfterEach
    void bindingRunning() {
        store.downFor.set(0);
        bindings.changeState(BINDING, State.STARTED);
    }

    @Test
    void shouldWriteTheRecordsBeforeAPoisonOnceAndSetThePoisonAsideAlone() {
        // given five events, a record that is no CloudEvent, then four more, in one batch
        List<String> before = ids(5);
        List<String> after = ids(4);
        String poison = "{not json " + UUID.randomUUID();
        double rejectedBefore = rejected();
        List<Outgoing> records = new ArrayList<>();
        before.forEach(id -> records.add(counted(id)));
        records.add(new Outgoing(TOPIC, "311-00000001", poison));
        after.forEach(id -> records.add(counted(id)));
        int mark = commands.mark();

        // when they are consumed
        sendAsOneBatch(records);

        // then the five before it were written once, the four after it once, each in one bulk write
        await().atMost(Duration.ofSeconds(30)).until(() -> store.writes.size() == 2);
        assertThat(store.writes).containsExactly(before, after);
        assertThat(commands.since(mark, "update", COLLECTION)).extracting(StoreCommands.Command::statements)
                .containsExactly(5, 4);
        assertThat(store.stored(before)).isEqualTo(5);
        assertThat(store.stored(after)).isEqualTo(4);
        // and the poison alone is in the dead-letter topic, with the reason, counted as rejected
        List<ConsumerRecord<String, String>> deadLetters = new KafkaTestClient(brokers).readAll(DLQ,
                Duration.ofSeconds(2));
        assertThat(deadLetters).extracting(ConsumerRecord::value).containsExactly(poison);
        assertThat(new String(deadLetters.get(0).headers().lastHeader("x-exception-message").value()))
                .contains("unreadable CloudEvent");
        assertThat(rejected() - rejectedBefore).isEqualTo(1);
        // and everything is committed
        await().atMost(Duration.ofSeconds(10)).until(() -> committed() == end());
    }

    @Test
    void shouldGatherEventsArrivingOneByOneIntoFewWrites() throws Exception {
        // given the binding running, its consumer waiting at the broker for the next event, its first write done
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            List<String> first = ids(1);
            send(producer, first.get(0));
            await().atMost(Duration.ofSeconds(30)).until(() -> store.stored(first) == 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> committed() == end());
            store.writes.clear();

            // when twenty events arrive one at a time, 50 ms apart: with no wait between polls, about one a poll
            List<String> events = ids(20);
            for (String event : events) {
                send(producer, event);
                Thread.sleep(50);
            }

            // then each is stored once, and the consumer gathered them between its polls (half a second here:
            // city311.bindings.gather) into a few writes
            await().atMost(Duration.ofSeconds(30)).until(() -> store.stored(events) == 20);
            assertThat(store.writes.stream().mapToInt(List::size).sum()).isEqualTo(20);
            assertThat(store.writes).as("the writes of 20 events, by size").hasSizeLessThanOrEqualTo(8);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> committed() == end());
    }

    @Test
    void shouldShowTheEventsWaitingForTheGroupInTheConsumerLagGaugeUntilTheyAreRead(CapturedOutput output) {
        // given the binding stopped, and seven events sent meanwhile
        await().atMost(Duration.ofSeconds(30)).until(() -> committed() == end());
        bindings.changeState(BINDING, State.STOPPED);
        List<String> events = ids(7);
        new KafkaTestClient(brokers).sendAll(events.stream().map(this::counted).toList());

        // then the lag gauge the ConsumerLagHigh alert watches counts them for the group and topic
        await().atMost(Duration.ofSeconds(30)).until(() -> consumerLag() == 7);

        // and once the binding reads them, it falls back to none
        bindings.changeState(BINDING, State.STARTED);
        await().atMost(Duration.ofSeconds(30)).until(() -> store.stored(events) == 7);
        await().atMost(Duration.ofSeconds(30)).until(() -> consumerLag() == 0);
        // and computing it filled no log with warnings that report nothing wrong
        assertThat(output.getAll()).as("the log while the lag was computed").doesNotContain("no longer assigned");
    }

    @Test
    void shouldDeliverABatchTheStoreRefusedAgainUntilItIsTakenAndSetNothingAside() {
        // given the store refuses four writes in a row: more than the binding's three attempts for a record
        store.downFor.set(4);
        List<String> events = ids(6);
        long deadLettersBefore = new KafkaTestClient(brokers).readAll(DLQ, Duration.ofSeconds(1)).size();

        // when six events come in one batch
        sendAsOneBatch(events.stream().map(this::counted).toList());

        // then they are written once the store takes them, all six in one write, and nothing was set aside
        await().atMost(Duration.ofSeconds(60)).until(() -> store.writes.size() == 1);
        assertThat(store.attempts.get()).isEqualTo(5);
        assertThat(store.writes).containsExactly(events);
        assertThat(store.stored(events)).isEqualTo(6);
        await().atMost(Duration.ofSeconds(10)).until(() -> committed() == end());
        assertThat(new KafkaTestClient(brokers).readAll(DLQ, Duration.ofSeconds(1))).hasSize((int) deadLettersBefore);
    }

    @Test
    void shouldStoreEachEventOnceWhenABatchWrittenIsDeliveredAgain() {
        // given the store takes a batch's write but its answer is lost (as when a consumer stops before committing)
        store.answersToLose.set(1);
        List<String> events = ids(7);

        // when seven events come in one batch
        sendAsOneBatch(events.stream().map(this::counted).toList());

        // then the batch was delivered and written again, and the store holds each event once
        await().atMost(Duration.ofSeconds(30)).until(() -> store.writes.size() == 2);
        assertThat(store.writes).containsExactly(events, events);
        assertThat(store.stored(events)).isEqualTo(7);
        assertThat(store.mongo.findAll(Document.class, COLLECTION).collectList().block(Duration.ofSeconds(30)))
                .filteredOn(document -> events.contains(document.getString("_id")))
                .extracting(document -> document.getInteger("batch")).as("each inserted by the first write only")
                .containsOnly(store.writes.size() - 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> committed() == end());
    }

    @Test
    void shouldStopWithinTheStopTimeoutWhileABatchWaitsForTheStoreAndApplyItAfterARestart() {
        // given the store is down and a batch is waiting for it, between attempts that grow to seconds apart
        store.downFor.set(Integer.MAX_VALUE);
        List<String> events = ids(3);
        long committedBefore = committed();
        sendAsOneBatch(events.stream().map(this::counted).toList());
        await().atMost(Duration.ofSeconds(30)).until(() -> store.attempts.get() >= 7);

        // when the service stops, every binding is stopped within the stop timeout
        assertThat(shutdown.stopAll()).as("stopped within city311.bindings.stop-timeout").isTrue();

        // then the batch was not committed, and once the store is back and the service starts, it is written
        assertThat(committed()).isEqualTo(committedBefore);
        store.downFor.set(0);
        bindings.changeState(BINDING, State.STOPPED);
        bindings.changeState(BINDING, State.STARTED);
        await().atMost(Duration.ofSeconds(30)).until(() -> store.writes.contains(events));
        assertThat(store.stored(events)).isEqualTo(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> committed() == end());
    }

    private void send(KafkaProducer<String, String> producer, String eventId) throws Exception {
        Outgoing record = counted(eventId);
        ProducerRecord<String, String> sent = new ProducerRecord<>(TOPIC, record.key(), record.cloudEventJson());
        sent.headers().add("content-type", CloudEvent.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        producer.send(sent).get();
    }

    private void sendAsOneBatch(List<Outgoing> records) {
        bindings.changeState(BINDING, State.STOPPED);
        new KafkaTestClient(brokers).sendAll(records);
        bindings.changeState(BINDING, State.STARTED);
    }

    private Outgoing counted(String eventId) {
        return new Outgoing(TOPIC, "311-00000001", """
                {"specversion": "1.0", "id": "%s", "source": "/city311/test", "type": "city311.test.counted.v1",
                 "subject": "311-00000001", "time": "2026-11-23T13:00:00Z", "datacontenttype": "application/json",
                 "data": {"requestId": "311-00000001"}}""".formatted(eventId));
    }

    private static List<String> ids(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        return ids;
    }

    private static double rejected() {
        Counter counter = Metrics.globalRegistry.find("city311.events.rejected").tag("topic", TOPIC).counter();
        return counter == null ? 0 : counter.count();
    }

    private double consumerLag() {
        Gauge gauge = meters.find("spring.cloud.stream.binder.kafka.offset").tag("group", "batch-tests")
                .tag("topic", TOPIC).gauge();
        return gauge == null ? -1 : gauge.value();
    }

    private long committed() {
        try (AdminClient admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("batch-tests")
                    .partitionsToOffsetAndMetadata().get();
            OffsetAndMetadata offset = offsets.get(new TopicPartition(TOPIC, 0));
            return offset == null ? 0 : offset.offset();
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private long end() {
        try (AdminClient admin = admin()) {
            TopicPartition partition = new TopicPartition(TOPIC, 0);
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition).get()
                    .offset();
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private AdminClient admin() {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        return AdminClient.create(config);
    }
}
