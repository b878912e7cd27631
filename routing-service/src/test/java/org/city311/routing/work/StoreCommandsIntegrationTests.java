package org.city311.routing.work;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.bson.BsonDocument;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.city311.contracts.EventContract;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.EarlierBrokerKept;
import org.city311.platform.test.ServiceIntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What routing-service asks of the store for each event it consumes and each action staff take: every command the
 * driver sends (a bulk write is one command), counted while a scenario runs, but for the outbox relay's own polls
 * and removals of published events (one {@code $pull} per event published, the relay's business). The counts are
 * asserted, so that a saving cannot silently come undone; the table is printed for the README.
 */
@ServiceIntegrationTest
@ExtendWith(EarlierBrokerKept.class)
@EmbeddedKafka(partitions = 3, topics = { "city311.requests", "city311.routing", "city311.feedback" })
class StoreCommandsIntegrationTests {

    private static final List<String> CONSUMED = List.of("city311.requests", "city311.feedback");
    private static final Map<String, List<String>> TABLE = new LinkedHashMap<>();

    @Autowired
    WebTestClient web;

    @Autowired
    AllStoreCommands commands;

    @Autowired
    ReactiveMongoTemplate mongo;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @AfterAll
    static void printTheTable() {
        StringBuilder table = new StringBuilder("\nStore commands per scenario (outbox relay excluded):\n");
        TABLE.forEach((scenario, seen) -> table.append(String.format("%-40s %2d  %s%n", scenario, seen.size(),
                seen)));
        System.out.println(table);
    }

    /** Every command the service sends while recording, as {@code <command> <collection>[ xN statements]}. */
    static final class AllStoreCommands implements CommandListener {

        private static final List<String> COUNTED = List.of("find", "aggregate", "count", "insert", "update",
                "delete", "findAndModify");
        private final List<String> seen = new CopyOnWriteArrayList<>();
        private volatile boolean recording;

        @Override
        public void commandStarted(CommandStartedEvent event) {
            String name = event.getCommandName();
            if (!recording || !COUNTED.contains(name)) {
                return;
            }
            BsonDocument command = event.getCommand();
            String json = command.toJson();
            if (json.contains("outbox.0") || json.contains("\"projection\": {\"outbox\"")
                    || (name.equals("update") && json.contains("\"$pull\": {\"outbox\""))) {
                return; // the outbox relay's reads (a sweep, or the documents it was woken for), or its removals
            }
            String collection = command.isString(name) ? command.getString(name).getValue() : "";
            int statements = name.equals("update") && command.containsKey("updates")
                    ? command.getArray("updates").size() : 1;
            seen.add(name + " " + collection + (statements > 1 ? " x" + statements : ""));
        }

        void start() {
            seen.clear();
            recording = true;
        }

        List<String> stop() {
            recording = false;
            return List.copyOf(seen);
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class CountAllStoreCommands {

        @Bean
        AllStoreCommands allStoreCommands() {
            return new AllStoreCommands();
        }

        @Bean
        MongoClientSettingsBuilderCustomizer recordAllStoreCommands(AllStoreCommands commands) {
            return settings -> settings.addCommandListener(commands);
        }
    }

    @Test
    void shouldRouteANewRequestInOneWriteAndIgnoreItsRedeliveryCheaply() {
        // given a pothole request (Transportation, which assigns no agent), a missed collection (Sanitation, which
        // assigns its agents in turn) and no heat (Housing, which assigns to the least loaded of its three agents)
        String pothole = newRequestId();
        String created = created(pothole, "pothole");

        // when each is consumed, then routing it costs what the table says
        assertThat(consumed("route: request-created", () -> send("city311.requests", pothole, created)))
                .containsExactly("update work x2");
        // (a department that assigns its work: the bulk write raises the assigned agent's load first, a statement
        // of its own; the least loaded: the loads read with the department's counter by _id, no count of work)
        String collection = newRequestId();
        assertThat(consumed("route: request-created, round-robin", () -> send("city311.requests", collection,
                created(collection, "missed-collection"))))
                .containsExactly("findAndModify assignment_counters", "update work x3");
        String heat = newRequestId();
        assertThat(consumed("route: request-created, least-loaded", () -> send("city311.requests", heat,
                created(heat, "heat-hot-water"))))
                .containsExactly("find work", "update work x3");
        // and a redelivered one routes nothing twice: refused by its id, read back to learn it was routed before,
        // and its department's counter raised alone
        assertThat(consumed("route: request-created again", () -> send("city311.requests", pothole, created)))
                .containsExactly("update work x2", "find work", "update work");
    }

    @Test
    void shouldRouteAPollOfNewRequestsWithOneWriteWhateverItsSize() {
        // given 90 new requests published at once: 30 each for Transportation (no agents), Sanitation (its agents
        // in turn) and Housing (the least loaded of its agents)
        List<KafkaTestClient.Outgoing> requests = new ArrayList<>();
        Map<String, String> departmentOf = new LinkedHashMap<>();
        Map<String, String> services = Map.of("pothole", "transportation", "missed-collection", "sanitation",
                "heat-hot-water", "housing");
        for (int i = 0; i < 30; i++) {
            for (Map.Entry<String, String> service : services.entrySet()) {
                String id = newRequestId();
                departmentOf.put(id, service.getValue());
                requests.add(new KafkaTestClient.Outgoing("city311.requests", id, created(id, service.getKey())));
            }
        }
        // a redelivery among them, and a link to one of them that follows it on its partition
        String redelivered = requests.get(0).key();
        requests.add(new KafkaTestClient.Outgoing("city311.requests", redelivered, requests.get(0).cloudEventJson()));
        String parent = requests.get(1).key();
        String duplicate = requests.get(4).key();
        requests.add(new KafkaTestClient.Outgoing("city311.requests", duplicate, linked(duplicate, parent)));

        // when they are consumed
        List<String> seen = consumed("route: a poll of 90 request-created", () -> new KafkaTestClient(brokers)
                .sendAll(requests));

        // then each is in its department's queue, once, the duplicate closed as one
        departmentOf.forEach((id, department) -> web.get().uri(RoutedRequests.WORK + "/{id}", id).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.department").isEqualTo(department));
        web.get().uri(RoutedRequests.WORK + "/{id}", duplicate).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("closed").jsonPath("$.duplicateOf").isEqualTo(parent);
        // and the store was asked a handful of times per poll (one by one, it would be some 150 commands): per poll
        // one bulk write of the work and counters, one turn taken for Sanitation, one read of Housing's loads by
        // _id; the link costs its own two, the redelivery (if not in the same poll as its first delivery) a read
        // back and a counter's raise
        long polls = seen.stream().filter(command -> command.startsWith("update work x")).count();
        assertThat(seen).hasSizeLessThanOrEqualTo((int) (3 * polls + 2 + 2));
        assertThat(polls).isLessThan(10);
    }

    @Test
    void shouldCountWhatALinkCostsWhicheverArrivesFirst() {
        String parent = RoutedRequests.routed(brokers, "pothole");
        String routed = RoutedRequests.routed(brokers, "pothole");
        // (the read, then the close guarded on the version read with its counter and agent's load in one bulk write)
        assertThat(consumed("link: after routing", () -> send("city311.requests", routed, linked(routed, parent))))
                .containsExactly("find work", "update work x2");

        String early = newRequestId();
        assertThat(consumed("link: before the request", () -> send("city311.requests", early, linked(early, parent))))
                .containsExactly("find work", "update work");
        assertThat(consumed("route: request-created, linked already", () -> send("city311.requests", early,
                created(early, "pothole"))))
                .containsExactly("update work x2");
        web.get().uri(RoutedRequests.WORK + "/{id}", early).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("closed").jsonPath("$.duplicateOf").isEqualTo(parent);
    }

    @Test
    void shouldCountWhatEachDepartmentActionCosts() {
        // one bulk write (the guarded update, the queue's counter): each starts from the item as this instance wrote it
        List<String> action = List.of("update work x2");
        String id = RoutedRequests.routed(brokers, "pothole");

        assertThat(acted("action: assign", id, "assign", Map.of("agent", "k.osei"))).isEqualTo(action);
        assertThat(acted("action: accept", id, "accept", Map.of("agent", "k.osei"))).isEqualTo(action);
        assertThat(acted("action: update (a note)", id, "update", Map.of("note", "On it"))).isEqualTo(action);
        assertThat(acted("action: hold", id, "hold", Map.of("reason", "Waiting for Con Ed"))).isEqualTo(action);
        assertThat(acted("action: resume", id, "resume", Map.of())).isEqualTo(action);
        assertThat(acted("action: resolve", id, "resolve", Map.of("resolutionCode", "fixed"))).isEqualTo(action);
        assertThat(acted("action: reopen", id, "reopen", Map.of("reason", "Still broken"))).isEqualTo(action);
        // a transfer raises both departments' counters, and asks the receiving one's turn (Sanitation's)
        assertThat(acted("action: transfer (to round-robin)", id, "transfer", Map.of("toDepartment", "sanitation",
                "reason", "Trash, not a pothole")))
                .containsExactly("findAndModify assignment_counters", "update work x3");
    }

    @Test
    void shouldCountWhatAnActionCostsOnWorkAnotherInstanceChanged() {
        // given routed work that another instance has changed since this one wrote it (a note: a new version)
        String id = RoutedRequests.routed(brokers, "pothole");
        mongo.updateFirst(Query.query(Criteria.where("_id").is(id)), new Update().inc("sequence", 1), "work")
                .block(Duration.ofSeconds(10));

        // then the write from what this instance remembers matches nothing (the agent's load it raised is taken
        // back), and the action is decided again on the item as stored: four commands instead of one, and the next
        // action is back to one
        assertThat(acted("action: on work changed elsewhere", id, "accept", Map.of("agent", "k.osei")))
                .containsExactly("update work x2", "update work", "find work", "update work x2");
        assertThat(acted("action: the next one", id, "resolve", Map.of("resolutionCode", "fixed")))
                .containsExactly("update work x2");
    }

    @Test
    void shouldCountWhatTheCustomersFeedbackCosts() {
        String id = RoutedRequests.routed(brokers, "pothole");
        List<String> action = List.of("update work x2");
        act(id, "resolve", Map.of("resolutionCode", "fixed"));

        assertThat(consumed("feedback: not resolved (reopen)", () -> send("city311.feedback", id,
                feedback(id, false, 2)))).isEqualTo(action);
        act(id, "resolve", Map.of("resolutionCode", "fixed"));
        assertThat(consumed("feedback: resolved (close)", () -> send("city311.feedback", id, feedback(id, true, 4))))
                .isEqualTo(action);

        String expiring = RoutedRequests.routed(brokers, "pothole");
        act(expiring, "resolve", Map.of("resolutionCode", "fixed"));
        assertThat(consumed("feedback: survey expired (close)", () -> send("city311.feedback", expiring,
                KafkaTestClient.example(EventContract.example("city311.survey.expired.v1"), expiring)
                        .replaceAll("\"resolutionSequence\"\\s*:\\s*\\d+", "\"resolutionSequence\": 2"))))
                .isEqualTo(action);
    }

    @Test
    void shouldCountWhatAnOpen311ClientsFixedCosts() {
        // given open work, which a trusted integration says is fixed (resolved), and a resident's app says so of
        // the resolved one (closed)
        String id = RoutedRequests.routed(brokers, "pothole");
        assertThat(consumed("client update: FIXED, trusted (resolve)", () -> send("city311.requests", id,
                clientUpdate(id, true)))).containsExactly("find work", "update work x2");
        assertThat(consumed("client update: FIXED, resident (close)", () -> send("city311.requests", id,
                clientUpdate(id, false)))).containsExactly("find work", "update work x2");
    }

    @Test
    void shouldCountWhatAQueueReadCosts() {
        RoutedRequests.routed(brokers, "pothole");
        String queue = "/api/departments/transportation/queue?limit=5";
        commands.start();
        String etag = web.get().uri(queue).exchange().expectStatus().isOk().returnResult(String.class)
                .getResponseHeaders().getETag();
        // (the last page, with room left: the dated work, then the undated)
        assertThat(record("queue: a page", commands.stop())).containsExactly("find work", "find work",
                "find work");
        commands.start();
        web.get().uri(queue).header(HttpHeaders.IF_NONE_MATCH, etag).exchange().expectStatus().isNotModified();
        assertThat(record("queue: unchanged (304)", commands.stop())).containsExactly("find work");
    }

    private List<String> acted(String scenario, String id, String action, Map<String, Object> body) {
        commands.start();
        act(id, action, body);
        return record(scenario, commands.stop());
    }

    private void act(String id, String action, Map<String, Object> body) {
        web.post().uri(RoutedRequests.WORK + "/{id}/{action}", id, action).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().isOk();
    }

    /** The commands the service sent from the event's sending until its consumer committed past it. */
    private List<String> consumed(String scenario, Runnable sending) {
        awaitConsumed();
        commands.start();
        sending.run();
        awaitConsumed();
        return record(scenario, commands.stop());
    }

    private static List<String> record(String scenario, List<String> seen) {
        TABLE.put(scenario, seen);
        return seen;
    }

    /** Until routing-service's group has committed everything on the topics it reads: each record handled. */
    private void awaitConsumed() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                admin.describeTopics(CONSUMED).allTopicNames().get().forEach((topic, description) ->
                        description.partitions().forEach(partition -> latest.put(
                                new TopicPartition(topic, partition.partition()), OffsetSpec.latest())));
                var ends = admin.listOffsets(latest).all().get();
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("routing-service")
                        .partitionsToOffsetAndMetadata().get();
                List<TopicPartition> behind = new ArrayList<>();
                ends.forEach((partition, end) -> {
                    OffsetAndMetadata at = committed.get(partition);
                    if (end.offset() > 0 && (at == null || at.offset() < end.offset())) {
                        behind.add(partition);
                    }
                });
                return behind.isEmpty();
            });
        }
    }

    private void send(String topic, String key, String event) {
        new KafkaTestClient(brokers).send(topic, key, event);
    }

    private static String created(String id, String serviceCode) {
        return KafkaTestClient.example(EventContract.example("city311.request.created.v1"), id)
                .replaceAll("\"serviceCode\"\\s*:\\s*\"[^\"]+\"", "\"serviceCode\": \"" + serviceCode + "\"");
    }

    private static String linked(String duplicate, String parent) {
        return KafkaTestClient.example(EventContract.example("city311.request.linked.v1"), duplicate)
                .replace("311-00000017", parent);
    }

    private static String feedback(String id, boolean resolved, long resolutionSequence) {
        return KafkaTestClient.example(EventContract.example("city311.feedback.received.v1"), id)
                .replaceAll("\"resolved\"\\s*:\\s*(true|false)", "\"resolved\": " + resolved)
                .replace("\"requestId\"", "\"resolutionSequence\": " + resolutionSequence + ", \"requestId\"");
    }

    private static String clientUpdate(String id, boolean trusted) {
        return KafkaTestClient.example(EventContract.example("city311.request.client-updated.v1"), id)
                .replace("\"trusted\": false", "\"trusted\": " + trusted);
    }

    private static String newRequestId() {
        return "311-" + (10_000_000 + (int) (Math.random() * 89_999_999));
    }
}
