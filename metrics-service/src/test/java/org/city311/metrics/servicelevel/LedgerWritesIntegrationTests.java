package org.city311.metrics.servicelevel;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.KafkaTestClient.Outgoing;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.platform.test.StoreCommands;
import org.city311.platform.test.TestClock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.stream.binding.BindingsLifecycleController;
import org.springframework.cloud.stream.binding.BindingsLifecycleController.State;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.convert.UpdateMapper;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.kafka.test.context.EmbeddedKafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * What the fold costs the store, and what it keeps when the store fails: a batch of events is written with one
 * ledger write command, and a batch whose write failed, or whose answer was lost, is counted once and stored once.
 * Against the real broker and the Mongo-wire store, counting the commands the service's client sends.
 */
@ServiceIntegrationTest
@EmbeddedKafka(partitions = 3, topics = { "city311.requests", "city311.routing", "city311.feedback" })
class LedgerWritesIntegrationTests {

    private static final String BINDING = "serviceEvents-in-0";
    private static final Scenario FIRST = Scenario.of(12, TestClock.START, "311-81");
    private static final Scenario SECOND = Scenario.of(9, TestClock.START, "311-82");

    @TestConfiguration(proxyBeanMethods = false)
    static class CountAndBreakTheStore {

        @Bean
        StoreCommands storeCommands() {
            return new StoreCommands();
        }

        @Bean
        MongoClientSettingsBuilderCustomizer countStoreCommands(StoreCommands commands) {
            return commands.onTheServicesClient();
        }

        @Bean
        @Primary
        FailingLedgerStore failingLedgerStore(ReactiveMongoTemplate mongo) {
            return new FailingLedgerStore(mongo);
        }
    }

    /** The ledger store, which a test may take down for some writes, or whose answers it may lose. */
    static final class FailingLedgerStore extends LedgerStore {

        final AtomicInteger downFor = new AtomicInteger();
        final AtomicInteger answersToLose = new AtomicInteger();
        final AtomicInteger writes = new AtomicInteger();

        FailingLedgerStore(ReactiveMongoTemplate mongo) {
            super(mongo);
        }

        @Override
        void append(java.util.Collection<Appended> ledgers) {
            if (downFor.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                throw new DataAccessResourceFailureException("store down");
            }
            super.append(ledgers);
            writes.incrementAndGet();
            if (answersToLose.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                throw new DataAccessResourceFailureException("the store took the write, its answer was lost");
            }
        }
    }

    @LocalServerPort
    int port;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Autowired
    StoreCommands commands;

    @Autowired
    FailingLedgerStore store;

    @Autowired
    BindingsLifecycleController bindings;

    @Autowired
    ReactiveMongoTemplate mongo;

    @Test
    void shouldWriteEachLedgerExactlyAsSpringDatasMappingWouldSoThatEitherWaysEntriesAreOneSet() {
        // entries of every kind, with and without their optional fields
        Instant at = TestClock.START;
        List<LedgerEntry> entries = List.of(
                LedgerEntry.of("created", LedgerEntry.Kind.CREATED, at).channel("phone").segment("resident")
                        .serviceCode("pothole").team("call-centre").build(),
                LedgerEntry.of("routing:1", LedgerEntry.Kind.ROUTED, at).sequence(1).department("transportation")
                        .serviceCode("pothole").submittedAt(at).firstActionDueAt(at.plusSeconds(3600))
                        .resolutionDueAt(at.plusSeconds(86_400)).build(),
                LedgerEntry.of("routing:2", LedgerEntry.Kind.HELD, at).sequence(2).pausedSeconds(0L)
                        .clockPaused(true).build(),
                LedgerEntry.of("routing:3", LedgerEntry.Kind.TRANSFERRED, at).sequence(3).department("parks")
                        .fromDepartment("transportation").reasonCode("wrong-service-chosen-at-intake").build(),
                LedgerEntry.of("feedback:f-1", LedgerEntry.Kind.FEEDBACK, at).satisfaction(2).resolved(false)
                        .source("survey").build(),
                LedgerEntry.of("followup_overdue:u-1", LedgerEntry.Kind.FOLLOWUP_OVERDUE, at).followUpId("u-1")
                        .reason("dissatisfied").dueAt(at).onTime(false).build());
        LedgerStore.Appended ledger = new LedgerStore.Appended("311-90", 2, entries);

        // as the bulk write through Spring Data built it before: its update mapped by the application's converter
        var mapping = new UpdateMapper(mongo.getConverter());
        Document mapped = mapping.getMappedObject(new Update()
                        .setOnInsert("partition", 2).addToSet("entries").each(entries.toArray()).getUpdateObject(),
                mongo.getConverter().getMappingContext().getPersistentEntity(LedgerStore.StoredLedger.class));

        // as JSON, field order included: $addToSet compares an entry field by field, in order
        assertThat(LedgerStore.appendTo(ledger).toJson()).isEqualTo(mapped.toJson());
        // and read back through the mapping, entry for entry (then removed: this class's other tests count ledgers)
        try {
            store.append(List.of(ledger));
            assertThat(mongo.findById("311-90", LedgerStore.StoredLedger.class).block().entries())
                    .containsExactlyElementsOf(entries);
        }
        finally {
            mongo.remove(Query.query(Criteria.where("_id").is("311-90")), LedgerStore.StoredLedger.class).block();
        }
    }

    @Test
    void shouldInsertAFreshLedgerAsTheUpsertWouldCreateItAndAddToOneStoredAfterAll() {
        Instant at = TestClock.START;
        LedgerEntry created = LedgerEntry.of("created", LedgerEntry.Kind.CREATED, at).channel("phone")
                .segment("resident").serviceCode("pothole").build();
        LedgerEntry routed = LedgerEntry.of("routing:1", LedgerEntry.Kind.ROUTED, at).sequence(1)
                .department("transportation").serviceCode("pothole").submittedAt(at).build();
        LedgerEntry resolved = LedgerEntry.of("routing:2", LedgerEntry.Kind.RESOLVED, at.plusSeconds(600))
                .sequence(2).department("transportation").build();
        try {
            // given one ledger written by an upsert, another, with the same entries, by an insert (a rebuild's)
            store.append(List.of(new LedgerStore.Appended("311-91", 1, List.of(created, routed), false),
                    new LedgerStore.Appended("311-92", 1, List.of(created, routed), true)));

            // then both are stored alike, field for field and in order: a later $addToSet compares them so
            Document upserted = mongo.findById("311-91", Document.class, LedgerStore.COLLECTION).block();
            Document inserted = mongo.findById("311-92", Document.class, LedgerStore.COLLECTION).block();
            upserted.remove("_id");
            inserted.remove("_id");
            assertThat(inserted.toJson()).isEqualTo(upserted.toJson());

            // and a ledger taken for fresh that is stored after all gets the entries it lacks, none twice
            int mark = commands.mark();
            store.append(List.of(new LedgerStore.Appended("311-92", 1, List.of(routed, resolved), true),
                    new LedgerStore.Appended("311-93", 1, List.of(created), true)));
            assertThat(mongo.findById("311-92", LedgerStore.StoredLedger.class).block().entries())
                    .containsExactly(created, routed, resolved);
            assertThat(mongo.findById("311-93", LedgerStore.StoredLedger.class).block().entries())
                    .containsExactly(created);
            assertThat(commands.since(mark).stream().filter(command -> !command.name().equals("find")))
                    .as("the inserts, then the one stored after all as an upsert")
                    .extracting(StoreCommands.Command::name, StoreCommands.Command::statements)
                    .containsExactly(tuple("insert", 2), tuple("update", 1));
        }
        finally {
            mongo.remove(Query.query(Criteria.where("_id").in("311-91", "311-92", "311-93")),
                    LedgerStore.StoredLedger.class).block();
        }
    }

    @AfterEach
    void storeUp() {
        store.downFor.set(0);
        store.answersToLose.set(0);
        bindings.changeState(BINDING, State.STARTED);
    }

    @Test
    void shouldWriteTheLedgersOfABatchOfEventsWithOneStoreCommand() {
        // given a dozen requests' events (created, routed, accepted, held, resolved, feedback, ...) waiting as one batch
        List<Outgoing> events = FIRST.events;
        assertThat(events).hasSize(52);
        Map<String, Double> before = figures();
        int mark = commands.mark();

        // when the fold reads them
        sendAsOneBatch(events);

        // then it counts them all
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(differences(before, FIRST.expected)).isEmpty());
        // and they cost the ledgers one write command, one upsert of each of the twelve ledgers, not one per event
        assertThat(commands.since(mark, "update", LedgerStore.COLLECTION))
                .extracting(StoreCommands.Command::statements).containsExactly(12);
        assertThat(commands.since(mark).stream().filter(command -> !command.name().equals("find")))
                .as("no other write").extracting(StoreCommands.Command::name).containsOnly("update");
        assertStoredOnce(FIRST);
    }

    @Test
    void shouldCountAndStoreEachEventOnceWhenTheStoreFailsAndWhenItsAnswerIsLost() {
        // given the store is down for two writes, then takes one but its answer is lost
        store.downFor.set(2);
        store.answersToLose.set(1);
        int writesBefore = store.writes.get();
        Map<String, Double> before = figures();

        // when nine more requests' events come
        sendAsOneBatch(SECOND.events);

        // then each is counted once: the figures grow by the scenario's hand tally
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(differences(before, SECOND.expected)).isEmpty());
        // and the batch was written twice (the answer lost the first time), each entry stored once
        assertThat(store.writes.get() - writesBefore).isEqualTo(2);
        assertStoredOnce(SECOND);
    }

    /** Each request's ledger holds each of its events once. */
    private void assertStoredOnce(Scenario scenario) {
        Map<String, Long> eventsPerRequest = scenario.events.stream()
                .collect(Collectors.groupingBy(Outgoing::key, Collectors.counting()));
        List<Document> ledgers = mongo.find(Query.query(Criteria.where("_id").in(eventsPerRequest.keySet())),
                Document.class, LedgerStore.COLLECTION).collectList().block(Duration.ofSeconds(30));
        assertThat(ledgers).hasSize(eventsPerRequest.size());
        for (Document ledger : ledgers) {
            List<String> keys = ledger.getList("entries", Document.class).stream()
                    .map(entry -> entry.getString("key")).toList();
            assertThat(keys).as("entries of %s", ledger.getString("_id")).doesNotHaveDuplicates()
                    .hasSize(eventsPerRequest.get(ledger.getString("_id")).intValue());
        }
    }

    private void sendAsOneBatch(List<Outgoing> events) {
        bindings.changeState(BINDING, State.STOPPED);
        new KafkaTestClient(brokers).sendAll(events);
        bindings.changeState(BINDING, State.STARTED);
    }

    /** The figures on /actuator/prometheus, summed over the partitions. */
    private Map<String, Double> figures() {
        return ServiceLevelIntegrationTests.sumWithoutPartition(ServiceLevelIntegrationTests.scrape(port));
    }

    /**
     * The series whose value on /actuator/prometheus is not what it was before plus the tally's (a series never
     * counted reads 0): each test adds its own requests to what the others left.
     */
    private Map<String, Double> differences(Map<String, Double> before, Map<String, Double> tally) {
        Map<String, Double> figures = figures();
        Map<String, Double> differences = new TreeMap<>();
        tally.forEach((series, added) -> {
            double expected = before.getOrDefault(series, 0.0) + added;
            double got = figures.getOrDefault(series, 0.0);
            if (Math.abs(got - expected) > 1e-6 * Math.max(1, Math.abs(expected))) {
                differences.put(series + " expected " + expected, got);
            }
        });
        return differences;
    }
}
