package org.city311.metrics.servicelevel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import com.mongodb.reactivestreams.client.MongoClient;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import org.city311.platform.events.CloudEvents;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.KafkaTestClient.Outgoing;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.platform.test.TestClock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.kafka.test.context.EmbeddedKafka;

import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A rebuild's read of the topics ({@link RebuildRead}) against the real broker and the Mongo-wire store: about one
 * ledger write per request instead of one per event, each entry stored and counted once, and where the binding
 * carries on when a poison event or the store stops it. Each test reads only what it sent (from the end offsets
 * before it), into a database of its own and figures of its own.
 */
@ServiceIntegrationTest
@EmbeddedKafka(partitions = 3, topics = { "city311.requests", "city311.routing", "city311.feedback" })
class RebuildReadIntegrationTests {

    private static final List<String> TOPICS = List.of("city311.requests", "city311.routing", "city311.feedback");

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Autowired
    CloudEvents cloudEvents;

    @Autowired
    MongoClient mongoClient;

    /** The ledgers in a database of the test's own, counting what is written and failing when told to. */
    static final class CountingLedgerStore extends LedgerStore {

        final ReactiveMongoTemplate mongo;
        final AtomicInteger ledgerWrites = new AtomicInteger();
        final AtomicInteger bulkWrites = new AtomicInteger();
        volatile boolean down;

        CountingLedgerStore(ReactiveMongoTemplate mongo) {
            super(mongo);
            this.mongo = mongo;
        }

        @Override
        Mono<Void> appending(Collection<Appended> ledgers) {
            if (down) {
                return Mono.error(new DataAccessResourceFailureException("store down"));
            }
            return super.appending(ledgers).doOnSuccess(done -> {
                ledgerWrites.addAndGet(ledgers.size());
                bulkWrites.incrementAndGet();
            });
        }
    }

    @Test
    void shouldWriteEachLedgerOnceNotOncePerEvent() {
        // given a dozen requests' 52 events, each delivered twice, shuffled across and within topics
        Scenario scenario = Scenario.of(12, TestClock.START, "311-71");
        Map<TopicPartition, Long> from = ends();
        new KafkaTestClient(brokers).sendAll(scenario.deliveries(71));
        Map<TopicPartition, Long> to = endsAfter(from, 2 * scenario.events.size());
        CountingLedgerStore store = store();
        ServiceLevels figures = figures();

        // when a rebuild reads them
        Map<TopicPartition, Long> carryOn = rebuild(figures, store, 1_000_000).read(from, to);

        // then it read to the end, and wrote each of the twelve ledgers once, with one bulk write (the binding
        // writes one upsert per event: 52 for these, batch or not, since a request's events are days apart)
        assertThat(carryOn).isEqualTo(to);
        assertThat(store.ledgerWrites).hasValue(12);
        assertThat(store.bulkWrites).hasValue(1);
        // and each event is stored once and counted once: the figures are the hand tally's
        assertStoredOnce(store, scenario);
        assertThat(differences(figures, scenario.expected)).isEmpty();
    }

    @Test
    void shouldStoreAndCountEachEntryOnceWhenItMustWriteLedgersBeforeTheirLastEvent() {
        // given more events than the rebuild may hold
        Scenario scenario = Scenario.of(12, TestClock.START, "311-72");
        Map<TopicPartition, Long> from = ends();
        new KafkaTestClient(brokers).sendAll(scenario.deliveries(72));
        Map<TopicPartition, Long> to = endsAfter(from, 2 * scenario.events.size());
        CountingLedgerStore store = store();
        ServiceLevels figures = figures();

        // when it may hold no more than ten entries at a time
        Map<TopicPartition, Long> carryOn = rebuild(figures, store, 10).read(from, to);

        // then ledgers were written more than once, their later entries added to them, and still each is stored
        // once and counted once
        assertThat(carryOn).isEqualTo(to);
        assertThat(store.ledgerWrites.get()).isGreaterThan(12);
        assertStoredOnce(store, scenario);
        assertThat(differences(figures, scenario.expected)).isEmpty();
    }

    @Test
    void shouldStopAtAPoisonEventWithAllBeforeItStoredAndLeaveItToTheBinding() {
        // given a dozen requests' events, then an event that is no CloudEvent, then more events
        Scenario first = Scenario.of(12, TestClock.START, "311-73");
        Scenario second = Scenario.of(6, TestClock.START, "311-74");
        Map<TopicPartition, Long> from = ends();
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        kafka.sendAll(first.events);
        kafka.send("city311.routing", "311-7300003", "not a CloudEvent");
        kafka.sendAll(second.events);
        Map<TopicPartition, Long> to = endsAfter(from, first.events.size() + 1 + second.events.size());
        ConsumerRecord<String, String> poison = kafka.readAll("city311.routing", Duration.ofMillis(500)).stream()
                .filter(record -> "not a CloudEvent".equals(record.value())).findFirst().orElseThrow();
        TopicPartition poisoned = new TopicPartition(poison.topic(), poison.partition());
        CountingLedgerStore store = store();
        ServiceLevels figures = figures();

        // when a rebuild reads them
        Map<TopicPartition, Long> carryOn = rebuild(figures, store, 1_000_000).read(from, to);

        // then the binding carries on from the poison in its partition (and dead-letters it), and from where the
        // read had got to in the others
        assertThat(carryOn).containsEntry(poisoned, poison.offset());
        carryOn.forEach((partition, offset) -> assertThat(offset).isBetween(from.get(partition), to.get(partition)));
        // and every event before where it carries on is stored, once
        long before = carryOn.keySet().stream().mapToLong(partition -> carryOn.get(partition) - from.get(partition))
                .sum();
        List<String> stored = storedKeys(store, first, second);
        assertThat(stored).hasSize((int) before).doesNotHaveDuplicates();
    }

    @Test
    void shouldCountNothingUnstoredAndCarryOnFromTheFirstUnstoredEventWhenTheStoreFails() {
        // given a dozen requests' events
        Scenario scenario = Scenario.of(12, TestClock.START, "311-75");
        Map<TopicPartition, Long> from = ends();
        new KafkaTestClient(brokers).sendAll(scenario.events);
        Map<TopicPartition, Long> to = endsAfter(from, scenario.events.size());
        CountingLedgerStore store = store();
        store.down = true;
        ServiceLevels figures = figures();

        // when the store is down as the rebuild writes them
        Map<TopicPartition, Long> carryOn = rebuild(figures, store, 1_000_000).read(from, to);

        // then the binding carries on from where this test's events begin, and nothing was counted
        assertThat(carryOn).isEqualTo(from);
        assertThat(sumWithoutPartition(figures)).allSatisfy((series, value) -> assertThat(value).isZero());
    }

    private RebuildRead rebuild(ServiceLevels figures, LedgerStore store, int maxHeld) {
        return new RebuildRead(cloudEvents, figures, store,
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers), maxHeld);
    }

    private CountingLedgerStore store() {
        return new CountingLedgerStore(new ReactiveMongoTemplate(mongoClient,
                "rebuild_" + UUID.randomUUID().toString().substring(0, 8)));
    }

    private static ServiceLevels figures() {
        return new ServiceLevels(new PrometheusRegistry(), Clock.fixed(TestClock.START, java.time.ZoneOffset.UTC));
    }

    /** The end offsets once the records sent since {@code from} are all there. */
    private Map<TopicPartition, Long> endsAfter(Map<TopicPartition, Long> from, int sent) {
        long before = from.values().stream().mapToLong(Long::longValue).sum();
        return await().atMost(Duration.ofSeconds(30)).until(this::ends,
                ends -> ends.values().stream().mapToLong(Long::longValue).sum() - before == sent);
    }

    private Map<TopicPartition, Long> ends() {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            List<TopicPartition> partitions = new ArrayList<>();
            TOPICS.forEach(topic -> consumer.partitionsFor(topic).forEach(
                    info -> partitions.add(new TopicPartition(topic, info.partition()))));
            return new HashMap<>(consumer.endOffsets(partitions));
        }
    }

    /** Each request's ledger holds each of its events once. */
    private static void assertStoredOnce(CountingLedgerStore store, Scenario scenario) {
        Map<String, Long> eventsPerRequest = scenario.events.stream()
                .collect(Collectors.groupingBy(Outgoing::key, Collectors.counting()));
        List<Document> ledgers = store.mongo.find(Query.query(Criteria.where("_id").in(eventsPerRequest.keySet())),
                Document.class, LedgerStore.COLLECTION).collectList().block(Duration.ofSeconds(30));
        assertThat(ledgers).hasSize(eventsPerRequest.size());
        for (Document ledger : ledgers) {
            List<String> keys = ledger.getList("entries", Document.class).stream()
                    .map(entry -> entry.getString("key")).toList();
            assertThat(keys).as("entries of %s", ledger.getString("_id")).doesNotHaveDuplicates()
                    .hasSize(eventsPerRequest.get(ledger.getString("_id")).intValue());
        }
    }

    /** Every entry stored for the scenarios' requests, as request id and entry key. */
    private static List<String> storedKeys(CountingLedgerStore store, Scenario... scenarios) {
        List<String> ids = java.util.Arrays.stream(scenarios).flatMap(scenario -> scenario.events.stream())
                .map(Outgoing::key).distinct().toList();
        return store.mongo.find(Query.query(Criteria.where("_id").in(ids)), Document.class, LedgerStore.COLLECTION)
                .collectList().block(Duration.ofSeconds(30)).stream()
                .flatMap(ledger -> ledger.getList("entries", Document.class).stream()
                        .map(entry -> ledger.getString("_id") + " " + entry.getString("key")))
                .toList();
    }

    /** The series whose value differs from the tally's (a series never counted reads 0). */
    private static Map<String, Double> differences(ServiceLevels figures, Map<String, Double> tally) {
        Map<String, Double> got = sumWithoutPartition(figures);
        Map<String, Double> differences = new TreeMap<>();
        tally.forEach((series, expected) -> {
            double value = got.getOrDefault(series, 0.0);
            if (Math.abs(value - expected) > 1e-6 * Math.max(1, Math.abs(expected))) {
                differences.put(series + " expected " + expected, value);
            }
        });
        return differences;
    }

    private static Map<String, Double> sumWithoutPartition(ServiceLevels figures) {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(text, figures.collect());
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return ServiceLevelIntegrationTests.sumWithoutPartition(
                ServiceLevelIntegrationTests.parse(text.toString(StandardCharsets.UTF_8)));
    }
}
