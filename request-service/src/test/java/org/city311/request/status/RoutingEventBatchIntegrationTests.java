package org.city311.request.status;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Collection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.bson.Document;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.city311.contracts.EventContract;
import org.city311.platform.events.CloudEvents;
import org.city311.platform.events.InboundRecord;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.KafkaTestClient.Outgoing;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.platform.test.StoreCommands;
import org.city311.request.CatalogFixture;
import org.city311.request.RequestStore;
import org.city311.request.catalog.ServiceCatalogCopy;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.cloud.stream.binding.BindingsLifecycleController;
import org.springframework.cloud.stream.binding.BindingsLifecycleController.State;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A storm of routing events, waiting on the topic as one batch: what the timelines and statuses end as, and what it
 * cost the store, counted by the driver; and a batch whose write the store dropped halfway, delivered again.
 */
@ServiceIntegrationTest
@Import({ StoreCommands.Recording.class, RoutingEventBatchIntegrationTests.StoreThatFails.class })
@TestPropertySource(properties = "city311.test.context=routing-event-batch")
@EmbeddedKafka(partitions = 3, topics = { "city311.requests", "city311.routing", "city311.catalog", "city311.feedback" })
class RoutingEventBatchIntegrationTests {

    private static final String BINDING = "routingEvents-in-0";
    private static final List<String> TOPICS = List.of("city311.routing");

    /**
     * The timeline's writer, which a test may make fail halfway through a batch's write, or race: another instance
     * writes between its read and its write.
     */
    @TestConfiguration(proxyBeanMethods = false)
    static class StoreThatFails {

        @Bean
        @Primary
        HalfWriting halfWritingTimeline(ReactiveMongoTemplate mongo, RequestStore requests, Clock clock) {
            return new HalfWriting(mongo, requests, clock);
        }
    }

    static final class HalfWriting extends StatusTimeline {

        final AtomicInteger halfWrites = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicReference<Runnable> afterRead = new AtomicReference<>();

        HalfWriting(ReactiveMongoTemplate mongo, RequestStore requests, Clock clock) {
            super(mongo, requests, clock);
        }

        @Override
        List<Document> read(Collection<String> requestIds) {
            List<Document> read = super.read(requestIds);
            Runnable race = afterRead.getAndSet(null);
            if (race != null) {
                race.run();
            }
            return read;
        }

        @Override
        void apply(List<RoutingStep> steps) {
            if (steps.size() > 1 && halfWrites.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
                super.apply(steps.subList(0, steps.size() / 2));
                failed.incrementAndGet();
                throw new DataAccessResourceFailureException("the store went down halfway through the batch");
            }
            super.apply(steps);
        }
    }

    @Autowired
    WebTestClient web;

    @Autowired
    ServiceCatalogCopy catalog;

    @Autowired
    StoreCommands commands;

    @Autowired
    RequestStore requests;

    @Autowired
    BindingsLifecycleController bindings;

    @Autowired
    HalfWriting timeline;

    @Autowired
    ReactiveMongoTemplate mongo;

    @Autowired
    CloudEvents cloudEvents;

    @Autowired
    Clock clock;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    KafkaTestClient kafka;

    @BeforeEach
    void catalogPublishedByRoutingService() {
        CatalogFixture.published(catalog, brokers);
        kafka = new KafkaTestClient(brokers);
    }

    @AfterEach
    void storeUp() {
        timeline.halfWrites.set(0);
        timeline.afterRead.set(null);
        bindings.changeState(BINDING, State.STARTED);
        bindings.changeState("feedbackEvents-in-0", State.STARTED);
    }

    @Test
    void shouldWriteAStormOfRoutingEventsWithAFewStoreCommands() {
        // given fifty requests, the first with a second report linked to it as its duplicate
        List<String> ids = file(50);
        String duplicate = file(1).get(0);
        web.post().uri("/api/requests/{id}/duplicate-of/{parent}", duplicate, ids.get(0)).exchange()
                .expectStatus().isOk();
        // and each one's routing, acceptance and resolution waiting on the topic; the first's acceptance twice, and
        // the second's hold (sequence 2) only after its acceptance (3) and resolution (4)
        List<Outgoing> events = new ArrayList<>();
        for (String id : ids) {
            boolean late = id.equals(ids.get(1));
            events.add(routing(id, EventContract.REQUEST_ROUTED, 1));
            Outgoing accepted = routing(id, EventContract.REQUEST_ACCEPTED, late ? 3 : 2);
            events.add(accepted);
            if (id.equals(ids.get(0))) {
                events.add(accepted);
            }
            events.add(routing(id, EventContract.REQUEST_RESOLVED, late ? 4 : 3));
            if (late) {
                events.add(routing(id, EventContract.REQUEST_PUT_ON_HOLD, 2));
            }
        }
        assertThat(events).hasSize(152);
        StoreCommands.awaitConsumed(brokers, "request-service", TOPICS);
        commands.clear();

        // when request-service reads them
        sendAsOneBatch(events);
        StoreCommands.awaitConsumed(brokers, "request-service", TOPICS);
        List<StoreCommands.Command> spent = requestCommands();

        // then every request is resolved, its timeline each step once (oldest first)
        for (String id : ids) {
            List<String> kinds = id.equals(ids.get(1))
                    ? List.of("submitted", "routed", "accepted", "resolved", "put-on-hold")
                    : List.of("submitted", "routed", "accepted", "resolved");
            assertRequest(id, "resolved", kinds);
        }
        // the duplicate follows its parent, each step once
        assertRequest(duplicate, "resolved", List.of("submitted", "linked", "routed", "accepted", "resolved"));
        // and the store was sent a handful of commands for the 152 events, not one or more each
        System.out.println("request-service store commands for " + events.size() + " routing events: "
                + spent.size() + " " + StoreCommands.tally(spent));
        assertThat(spent).hasSizeLessThan(events.size() / 10);
        assertThat(spent).allSatisfy(command -> assertThat(command.collection()).isEqualTo("requests"));

        // when one of them is delivered again on its own
        commands.clear();
        kafka.sendAll(List.of(events.get(events.size() - 1)));
        StoreCommands.awaitConsumed(brokers, "request-service", TOPICS);
        List<StoreCommands.Command> again = requestCommands();

        // then it changes nothing, and costs a conditional update that finds nothing to do, and a read
        assertThat(again).extracting(StoreCommands.Command::name).containsExactly("findAndModify", "find");
        assertRequest(ids.get(ids.size() - 1), "resolved", List.of("submitted", "routed", "accepted", "resolved"));
    }

    @Test
    void shouldApplyABatchOnceWhenTheStoreFailedHalfwayThroughItsWrite() {
        // given ten requests, the first with a linked duplicate, and the store going down halfway through a write
        List<String> ids = file(10);
        String duplicate = file(1).get(0);
        web.post().uri("/api/requests/{id}/duplicate-of/{parent}", duplicate, ids.get(0)).exchange()
                .expectStatus().isOk();
        List<Outgoing> events = new ArrayList<>();
        for (String id : ids) {
            events.add(routing(id, EventContract.REQUEST_ROUTED, 1));
            events.add(routing(id, EventContract.REQUEST_ACCEPTED, 2));
            events.add(routing(id, EventContract.REQUEST_RESOLVED, 3));
        }
        StoreCommands.awaitConsumed(brokers, "request-service", TOPICS);
        timeline.halfWrites.set(1);

        // when the batch is read, half written, and delivered again
        sendAsOneBatch(events);
        StoreCommands.awaitConsumed(brokers, "request-service", TOPICS);

        // then it did fail once, and still each request has each step once
        assertThat(timeline.failed.get()).isEqualTo(1);
        for (String id : ids) {
            assertRequest(id, "resolved", List.of("submitted", "routed", "accepted", "resolved"));
        }
        assertRequest(duplicate, "resolved", List.of("submitted", "linked", "routed", "accepted", "resolved"));
    }

    @Test
    void shouldKeepWhatAnotherInstanceWroteBetweenTheBatchsReadAndItsWrite() {
        // given a routed request with a linked duplicate, and another request
        String parent = file(1).get(0);
        String duplicate = file(1).get(0);
        String other = file(1).get(0);
        web.post().uri("/api/requests/{id}/duplicate-of/{parent}", duplicate, parent).exchange()
                .expectStatus().isOk();
        kafka.sendAll(List.of(routing(parent, EventContract.REQUEST_ROUTED, 1)));
        StoreCommands.awaitConsumed(brokers, "request-service", TOPICS);
        // and another instance (during a rebalance, say) resolving it after this one has read it for its next batch
        Outgoing resolved = routing(parent, EventContract.REQUEST_RESOLVED, 3);
        AtomicInteger raced = new AtomicInteger();
        timeline.afterRead.set(() -> {
            TimelineBatch otherInstance = new TimelineBatch(cloudEvents, new StatusTimeline(mongo, requests, clock));
            otherInstance.read(new InboundRecord("city311.routing", 0, 0, parent,
                    resolved.cloudEventJson().getBytes(StandardCharsets.UTF_8), 0));
            otherInstance.write();
            raced.incrementAndGet();
        });

        // when this one's batch holds the parent's older hold, and the other request's routing
        sendAsOneBatch(List.of(routing(parent, EventContract.REQUEST_PUT_ON_HOLD, 2),
                routing(other, EventContract.REQUEST_ROUTED, 1)));
        StoreCommands.awaitConsumed(brokers, "request-service", TOPICS);

        // then the hold is on the parent's timeline, but the resolution stands, on the parent and its duplicate
        assertThat(raced.get()).isEqualTo(1);
        assertRequest(parent, "resolved", List.of("submitted", "routed", "resolved", "put-on-hold"));
        assertRequest(duplicate, "resolved", List.of("submitted", "linked", "routed", "resolved"));
        assertRequest(other, "routed", List.of("submitted", "routed"));
    }

    @Test
    void shouldWriteABatchOfFeedbackWithOneStoreCommand() {
        // given twenty requests' feedback waiting on the topic, the first one's twice
        List<String> ids = file(20);
        List<Outgoing> feedback = new ArrayList<>();
        for (String id : ids) {
            feedback.add(new Outgoing("city311.feedback", id, KafkaTestClient.example(
                    EventContract.example("city311.feedback.received.v1"), id)));
        }
        feedback.add(feedback.get(0));
        StoreCommands.awaitConsumed(brokers, "request-service", List.of("city311.feedback"));
        commands.clear();

        // when request-service reads them
        bindings.changeState("feedbackEvents-in-0", State.STOPPED);
        kafka.sendAll(feedback);
        bindings.changeState("feedbackEvents-in-0", State.STARTED);
        StoreCommands.awaitConsumed(brokers, "request-service", List.of("city311.feedback"));
        List<StoreCommands.Command> spent = requestCommands();

        // then each timeline has its feedback once, written with one bulk write a poll (one here; were 21 updates)
        System.out.println("request-service store commands for " + feedback.size() + " feedback events: "
                + StoreCommands.tally(spent));
        assertThat(spent).hasSizeBetween(1, 3)
                .allSatisfy(command -> assertThat(command).hasToString("update requests"));
        for (String id : ids) {
            assertRequest(id, "submitted", List.of("submitted", "feedback-received"));
        }
    }

    /** The commands naming a request that are not the outbox relay's (which publishes what filing wrote). */
    private List<StoreCommands.Command> requestCommands() {
        return commands.since(0).stream().filter(command -> command.json().contains("311-"))
                .filter(command -> !command.json().contains("\"outbox\"")).toList();
    }

    private void assertRequest(String id, String status, List<String> kinds) {
        web.get().uri("/api/requests/{id}", id).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo(status)
                .jsonPath("$.history[*].kind").value(found -> assertThat(found).as(id).isEqualTo(kinds));
    }

    private void sendAsOneBatch(List<Outgoing> events) {
        bindings.changeState(BINDING, State.STOPPED);
        kafka.sendAll(events);
        bindings.changeState(BINDING, State.STARTED);
    }

    private static Outgoing routing(String id, String type, long sequence) {
        return new Outgoing("city311.routing", id, KafkaTestClient.example(EventContract.example(type), id)
                .replaceFirst("\"sequence\"\\s*:\\s*\\d+", "\"sequence\": " + sequence));
    }

    private List<String> file(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(web.post().uri("/api/requests").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("serviceCode", "pothole", "channel", "phone",
                            "location", Map.of("address", i + " Broadway"), "attributes", Map.of("size", "large")))
                    .exchange().expectStatus().isCreated()
                    .expectBody(Map.class).returnResult().getResponseBody().get("id").toString());
        }
        return ids;
    }
}
