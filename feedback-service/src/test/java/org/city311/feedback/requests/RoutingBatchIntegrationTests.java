package org.city311.feedback.requests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.city311.contracts.EventContract;
import org.city311.feedback.Events;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.KafkaTestClient.Outgoing;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.platform.test.StoreCommands;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.stream.binding.BindingsLifecycleController;
import org.springframework.cloud.stream.binding.BindingsLifecycleController.State;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A storm of events consumed in batches: what the surveys get, and what it costs the store, counted by the driver.
 * The events wait on the topics while the bindings are stopped, so that each binding reads them in as few polls as
 * Kafka gives. The sweeps and the delivery of invitations run once an hour here: only the consumers' commands count.
 */
@ServiceIntegrationTest
@Import({ StoreCommands.Recording.class, RoutingBatchIntegrationTests.BreakOnce.class })
@EmbeddedKafka(partitions = 3, topics = { "city311.requests", "city311.routing", "city311.feedback" })
@TestPropertySource(properties = { "city311.surveys.sweep-interval=1h", "city311.surveys.delivery-interval=1h",
        "city311.follow-ups.sweep-interval=1h" })
class RoutingBatchIntegrationTests {

    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> TOPICS = List.of("city311.requests", "city311.routing");
    private static final List<String> BINDINGS = List.of("routingEvents-in-0", "requestEvents-in-0");
    private static final int REQUESTS = 50;
    private static final int CLOSED = 5;

    /** A listener of the batch's changes that fails when told to, as the store would: the batch is cut short. */
    @TestConfiguration(proxyBeanMethods = false)
    static class BreakOnce {

        @Bean
        BatchBreaker batchBreaker(ReactiveMongoTemplate mongo) {
            return new BatchBreaker(mongo);
        }
    }

    /**
     * Fails a batch's changes as the store would, once told to: before the surveys' listener has written anything
     * (it runs first), or after it has written the invitations and windows (it runs last), the requests unwritten.
     */
    static final class BatchBreaker {

        private final ReactiveMongoTemplate mongo;
        final AtomicInteger failuresBeforeSurveys = new AtomicInteger();
        final AtomicInteger failuresAfterSurveys = new AtomicInteger();
        final AtomicInteger batches = new AtomicInteger();
        final AtomicBoolean invitationsWrittenWhenFailed = new AtomicBoolean();

        BatchBreaker(ReactiveMongoTemplate mongo) {
            this.mongo = mongo;
        }

        @EventListener
        @Order(Ordered.HIGHEST_PRECEDENCE)
        void before(RequestsChanged changed) {
            batches.incrementAndGet();
            if (failuresBeforeSurveys.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                throw new DataAccessResourceFailureException("the store went away before the batch's surveys");
            }
        }

        @EventListener
        @Order(Ordered.LOWEST_PRECEDENCE)
        void after(RequestsChanged changed) {
            if (failuresAfterSurveys.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                List<String> resolved = changed.changes().stream().filter(RequestResolved.class::isInstance)
                        .map(RequestChange::requestId).toList();
                invitationsWrittenWhenFailed.set(Boolean.TRUE.equals(mongo.exists(Query.query(Criteria.where("_id")
                        .in(resolved)), "surveys").block(STORE_TIMEOUT)));
                throw new DataAccessResourceFailureException("the store went away after the batch's surveys");
            }
        }
    }

    @Autowired
    StoreCommands commands;

    @Autowired
    BatchBreaker breaker;

    @Autowired
    BindingsLifecycleController bindings;

    @Autowired
    ReactiveMongoTemplate mongo;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @AfterEach
    void bindingsStartedStoreUp() {
        BINDINGS.forEach(binding -> bindings.changeState(binding, State.STARTED));
        breaker.failuresBeforeSurveys.set(0);
        breaker.failuresAfterSurveys.set(0);
    }

    @Test
    void shouldInviteEachResolvedRequestOnceWithAFewStoreCommandsPerBatchNotSomePerEvent() {
        // given fifty requests created, routed and resolved, five of them closed after, one resolution delivered
        // twice and, for another, an older transfer arriving after its resolution
        List<String> ids = new ArrayList<>();
        List<Outgoing> events = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            String id = Events.newRequestId();
            ids.add(id);
            events.add(new Outgoing("city311.requests", id,
                    Events.example(EventContract.REQUEST_CREATED, id, Map.of())));
            events.add(routing(id, EventContract.REQUEST_ROUTED, 1, Map.of()));
            events.add(routing(id, EventContract.REQUEST_RESOLVED, 2, Map.of()));
        }
        String redelivered = ids.get(0);
        events.add(routing(redelivered, EventContract.REQUEST_RESOLVED, 2, Map.of()));
        String transferredLate = ids.get(1);
        events.add(routing(transferredLate, EventContract.REQUEST_TRANSFERRED, 1,
                Map.of("department", "parks", "toDepartment", "parks")));
        for (String closed : ids.subList(REQUESTS - CLOSED, REQUESTS)) {
            events.add(routing(closed, EventContract.REQUEST_CLOSED, 3, Map.of()));
        }
        StoreCommands.awaitConsumed(brokers, "feedback-service", TOPICS);
        commands.clear();

        // when they wait on the topics and the consumers read them
        sendAsOneBatch(events);
        StoreCommands.awaitConsumed(brokers, "feedback-service", TOPICS);
        List<StoreCommands.Command> spent = commands.since(0).stream()
                .filter(command -> ids.stream().anyMatch(command.json()::contains)).toList();

        // then each request has one invitation, about its resolution, left to staff by phone
        Map<String, Document> surveys = byId(mongo.find(Query.query(Criteria.where("requestId").in(ids)),
                Document.class, "surveys").collectList().block(STORE_TIMEOUT), "requestId");
        assertThat(surveys).hasSize(REQUESTS);
        assertThat(surveys.values()).allSatisfy(survey -> {
            assertThat(survey.getString("_id")).isEqualTo(survey.getString("requestId"));
            assertThat(survey.getLong("resolutionSequence")).isEqualTo(2L);
            assertThat(survey.getString("status")).isEqualTo("pending_delivery");
            assertThat(survey.getString("channel")).isEqualTo("phone");
            assertThat(survey.getString("department")).isEqualTo("transportation");
        });
        // and the window of each resolution is open, but for the requests closed since
        Map<String, Document> windows = byId(mongo.find(Query.query(Criteria.where("_id").in(ids)), Document.class,
                "survey_windows").collectList().block(STORE_TIMEOUT), "_id");
        assertThat(windows.keySet()).containsExactlyInAnyOrderElementsOf(ids.subList(0, REQUESTS - CLOSED));
        assertThat(windows.values()).allSatisfy(window -> {
            assertThat(window.getString("status")).isEqualTo("open");
            assertThat(window.getLong("resolutionSequence")).isEqualTo(2L);
            assertThat(window.getString("surveyId")).isEqualTo(window.getString("_id"));
        });
        // and what is known of each request is its newest event: the late transfer changed nothing
        Map<String, Document> known = byId(mongo.find(Query.query(Criteria.where("_id").in(ids)), Document.class,
                "requests").collectList().block(STORE_TIMEOUT), "_id");
        assertThat(known).hasSize(REQUESTS);
        assertThat(known.get(transferredLate).getString("department")).isEqualTo("transportation");
        assertThat(known.get(transferredLate).getString("status")).isEqualTo("resolved");
        assertThat(known.get(ids.get(REQUESTS - 1)).getString("status")).isEqualTo("closed");
        assertThat(known.values()).allSatisfy(request -> assertThat(request.getString("channel"))
                .isEqualTo("mobile"));

        // and the 157 events cost a few store commands per poll (one read and one write of the requests, one write
        // per kind and collection of the surveys'), not one or more per event: 269 when they were consumed one by one
        System.out.println("feedback-service store commands for " + events.size() + " events: " + spent.size()
                + " " + StoreCommands.tally(spent) + "\n" + spent.stream().map(command -> command + " ("
                        + command.statements() + " statements) " + abbreviate(command.json()))
                        .collect(Collectors.joining("\n")));
        assertThat(spent).hasSizeLessThanOrEqualTo(20);
        assertThat(spent.stream().filter(command -> command.name().equals("insert"))
                .mapToInt(StoreCommands.Command::statements).sum()).as("invitations inserted").isEqualTo(REQUESTS);
    }

    @Test
    void shouldHaveTheWholeEffectOfABatchCutShortWhenItComesAgain() {
        // given ten requests routed and resolved, two of them closed after, waiting as one batch, and a store that
        // fails once before anything of the batch is written, then once its invitations are, before its requests
        List<String> ids = new ArrayList<>();
        List<Outgoing> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String id = Events.newRequestId();
            ids.add(id);
            events.add(routing(id, EventContract.REQUEST_ROUTED, 1, Map.of()));
            events.add(routing(id, EventContract.REQUEST_RESOLVED, 2, Map.of()));
        }
        ids.subList(8, 10).forEach(id -> events.add(routing(id, EventContract.REQUEST_CLOSED, 3, Map.of())));
        StoreCommands.awaitConsumed(brokers, "feedback-service", TOPICS);
        int batchesBefore = breaker.batches.get();
        breaker.failuresBeforeSurveys.set(1);
        breaker.failuresAfterSurveys.set(1);

        // when the consumer reads them
        sendAsOneBatch(events);
        StoreCommands.awaitConsumed(brokers, "feedback-service", TOPICS);

        // then the batch failed, then failed half-written, and came again
        assertThat(breaker.invitationsWrittenWhenFailed).as("invitations written when the batch failed").isTrue();
        assertThat(breaker.batches.get() - batchesBefore).isGreaterThanOrEqualTo(3);
        // and each request has its one invitation, its window (but the closed ones), and its newest event known
        List<Document> surveys = mongo.find(Query.query(Criteria.where("requestId").in(ids)), Document.class,
                "surveys").collectList().block(STORE_TIMEOUT);
        assertThat(surveys).extracting(survey -> survey.getString("_id")).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(surveys).allSatisfy(survey -> assertThat(survey.getLong("resolutionSequence")).isEqualTo(2L));
        Map<String, Document> windows = byId(mongo.find(Query.query(Criteria.where("_id").in(ids)), Document.class,
                "survey_windows").collectList().block(STORE_TIMEOUT), "_id");
        assertThat(windows.keySet()).containsExactlyInAnyOrderElementsOf(ids.subList(0, 8));
        assertThat(windows.values()).allSatisfy(window -> assertThat(window.getString("status")).isEqualTo("open"));
        Map<String, Document> known = byId(mongo.find(Query.query(Criteria.where("_id").in(ids)), Document.class,
                "requests").collectList().block(STORE_TIMEOUT), "_id");
        ids.subList(0, 8).forEach(id -> assertThat(known.get(id).getString("status")).isEqualTo("resolved"));
        ids.subList(8, 10).forEach(id -> assertThat(known.get(id).getString("status")).isEqualTo("closed"));
    }

    @Test
    void shouldSetAnUnreadableEventAsideAloneAndApplyTheEventsAroundIt() {
        // given a request's routing and resolution with, between them, an acceptance that breaks its contract (an
        // event type that costs no store command, still read and checked), and another request's after it
        String first = Events.newRequestId();
        String second = Events.newRequestId();
        String poison = Events.example(EventContract.REQUEST_ACCEPTED, first, Map.of("sequence", "second"));
        List<Outgoing> events = List.of(routing(first, EventContract.REQUEST_ROUTED, 1, Map.of()),
                new Outgoing("city311.routing", first, poison),
                routing(first, EventContract.REQUEST_RESOLVED, 3, Map.of()),
                routing(second, EventContract.REQUEST_ROUTED, 1, Map.of()),
                routing(second, EventContract.REQUEST_RESOLVED, 2, Map.of()));
        StoreCommands.awaitConsumed(brokers, "feedback-service", TOPICS);

        // when they are read as one batch
        sendAsOneBatch(events);
        StoreCommands.awaitConsumed(brokers, "feedback-service", TOPICS);

        // then the unreadable one, and it alone, is in the binding's dead letters
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        kafka.await("city311.routing.dlq.feedback-service", record -> record.value().equals(poison),
                Duration.ofSeconds(30));
        assertThat(kafka.readAll("city311.routing.dlq.feedback-service", Duration.ofSeconds(1))).hasSize(1);
        // and both requests are invited, about their resolutions
        List<Document> surveys = mongo.find(Query.query(Criteria.where("requestId").in(first, second)),
                Document.class, "surveys").collectList().block(STORE_TIMEOUT);
        assertThat(byId(surveys, "_id")).containsOnlyKeys(first, second);
        assertThat(byId(surveys, "_id").get(first).getLong("resolutionSequence")).isEqualTo(3L);
    }

    @Test
    void shouldRefuseInTheStoreTheWriteOfARequestThatANewerEventReachedMeanwhile() {
        // given a request another instance has written at sequence 5 (say during a rebalance), after this instance
        // read it at 2, and a request not known yet
        String written = Events.newRequestId();
        String unknown = Events.newRequestId();
        mongo.insert(new KnownRequest(written, "pothole", "parks", "resolved", 5, null, 5L, "phone", "resident", null,
                null)).block(STORE_TIMEOUT);
        KnownRequests requests = new KnownRequests(mongo);

        // when this instance writes its batch: the first at sequence 3, the second at 1
        Set<String> refused = requests.write(List.of(
                new RequestFold.Write(written, 3, new java.util.LinkedHashMap<>(Map.of("department", "transportation",
                        "status", "reopened", "sequence", 3L))),
                new RequestFold.Write(unknown, 1, new java.util.LinkedHashMap<>(Map.of("department",
                        "transportation", "status", "routed", "sequence", 1L)))));

        // then the store refuses the older write, and takes the other
        assertThat(refused).containsExactly(written);
        KnownRequest kept = mongo.findById(written, KnownRequest.class).block(STORE_TIMEOUT);
        assertThat(kept.sequence()).isEqualTo(5);
        assertThat(kept.department()).isEqualTo("parks");
        assertThat(kept.status()).isEqualTo("resolved");
        assertThat(mongo.findById(unknown, KnownRequest.class).block(STORE_TIMEOUT).sequence()).isEqualTo(1);
    }

    private void sendAsOneBatch(List<Outgoing> events) {
        BINDINGS.forEach(binding -> bindings.changeState(binding, State.STOPPED));
        new KafkaTestClient(brokers).sendAll(events);
        BINDINGS.forEach(binding -> bindings.changeState(binding, State.STARTED));
    }

    private static Outgoing routing(String id, String type, long sequence, Map<String, Object> data) {
        Map<String, Object> fields = new java.util.HashMap<>(data);
        fields.put("sequence", sequence);
        return new Outgoing("city311.routing", id, Events.example(type, id, fields));
    }

    private static String abbreviate(String json) {
        return json.length() <= 300 ? json : json.substring(0, 300) + "...";
    }

    private static Map<String, Document> byId(List<Document> documents, String field) {
        return documents.stream().collect(Collectors.toMap(document -> document.getString(field), d -> d));
    }
}
