package org.city311.routing.work;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.city311.contracts.EventContract;
import org.city311.platform.domain.DomainException;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.EarlierBrokerKept;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.platform.test.StoreCommands;
import org.city311.platform.test.TestClock;
import org.city311.routing.catalog.ServiceCatalog;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Import;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.aggregation.Aggregation;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The agents' loads kept in each department's counter document ({@link AgentLoads}): the least-loaded assignment
 * reads them by {@code _id} and no work, every write moves them at once, a write that changes nothing moves none,
 * and {@link LoadRecount} counts them from the work where none were kept. Each step's loads are compared with the
 * open work counted in the store. Against the real broker and store, in a database of its own.
 */
@ServiceIntegrationTest
@ExtendWith(EarlierBrokerKept.class)
@Import(StoreCommands.Recording.class)
// the tests check when they mean to: no tick of the service's own comes between
@TestPropertySource(properties = "city311.routing.loads.check-every=1h")
@EmbeddedKafka(partitions = 3, topics = { "city311.requests", "city311.routing", "city311.feedback" })
class AgentLoadsIntegrationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final List<String> HOUSING = List.of("s.goldberg", "t.nguyen", "a.haddad");

    @Autowired
    WebTestClient web;

    @Autowired
    ReactiveMongoTemplate mongo;

    @Autowired
    StoreCommands commands;

    @Autowired
    AgentLoads loads;

    @Autowired
    LoadRecount recount;

    @Autowired
    DepartmentWork work;

    @Autowired
    WorkStore store;

    @Autowired
    ServiceCatalog catalog;

    @Autowired
    TestClock clock;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Test
    void shouldAssignTheLeastLoadedAgentByReadingTheDepartmentsCounterAndNoWork() {
        // given Housing with work open and closed (history the old count walked through)
        for (int i = 0; i < 4; i++) {
            String done = routed("heat-hot-water");
            act(done, "resolve", Map.of("resolutionCode", "fixed"));
        }
        routed("heat-hot-water");
        Map<String, Long> before = loads("housing");

        // when a heat complaint is routed there
        int mark = commands.mark();
        String id = newRequestId();
        send(id, created(id, "heat-hot-water"));
        String agent = agentOf(id);
        StoreCommands.awaitConsumed(brokers, "routing-service", List.of("city311.requests"));
        // (the outbox relay's sweeps, if one comes, are its own business)
        List<StoreCommands.Command> spent = commands.since(mark).stream()
                .filter(command -> !command.json().contains("outbox.0")).toList();

        // then it went to the least loaded agent, who holds one more now
        assertThat(agent).isEqualTo(leastLoaded(before));
        assertThat(loads("housing")).isEqualTo(plus(before, agent, 1)).isEqualTo(counted("housing"));
        // and the store was asked nothing that is not by _id: no count of work, no walk of the collection
        assertThat(spent).noneMatch(command -> command.name().equals("aggregate"));
        assertThat(StoreCommands.notIdPinned(spent)).isEmpty();
        assertThat(spent).anySatisfy(command -> assertThat(command.toString()).isEqualTo("find work"))
                .filteredOn(command -> command.name().equals("find"))
                .anySatisfy(command -> assertThat(command.json()).contains("queue:housing"));
    }

    @Test
    void shouldMoveTheLoadsAtOnceWithEveryActionThatChangesWhoHoldsOpenWork() {
        // given a heat complaint routed to Housing's least loaded agent
        String id = routed("heat-hot-water");
        String assigned = (String) work(id).get("agent");
        assertThat(assigned).isIn(HOUSING);
        assertHoldsAsCounted("housing", "sanitation");

        // when m.rivera accepts it, it is theirs, not the assigned agent's any more
        Map<String, Long> before = loads("housing");
        act(id, "accept", Map.of("agent", "m.rivera"));
        assertThat(loads("housing")).isEqualTo(plus(plus(before, assigned, -1), "m.rivera", 1));
        assertHoldsAsCounted("housing");

        // when it is put on hold and resumed, it stays open and theirs: nothing moves
        Map<String, Long> accepted = loads("housing");
        act(id, "hold", Map.of("reason", "Waiting for the landlord"));
        assertThat(loads("housing")).isEqualTo(accepted);
        act(id, "resume", Map.of());
        assertThat(loads("housing")).isEqualTo(accepted);

        // when it is resolved, it is no one's open work; reopened, it has no agent (none holds it)
        act(id, "resolve", Map.of("resolutionCode", "fixed"));
        assertThat(loads("housing")).isEqualTo(plus(accepted, "m.rivera", -1));
        act(id, "reopen", Map.of("reason", "Still no heat"));
        assertThat(loads("housing")).isEqualTo(plus(accepted, "m.rivera", -1));
        assertHoldsAsCounted("housing");

        // when it is assigned by hand, then transferred to Sanitation (which gives it to an agent in turn)
        act(id, "assign", Map.of("agent", "t.nguyen"));
        assertHoldsAsCounted("housing");
        Map<String, Long> sanitation = loads("sanitation");
        act(id, "transfer", Map.of("toDepartment", "sanitation", "reason", "Trash in the boiler room"));
        String sanitationAgent = (String) work(id).get("agent");
        assertThat(loads("sanitation")).isEqualTo(plus(sanitation, sanitationAgent, 1));
        assertHoldsAsCounted("housing", "sanitation");

        // when it is resolved there and closed on the customer's word
        act(id, "resolve", Map.of("resolutionCode", "fixed"));
        assertThat(loads("sanitation")).isEqualTo(sanitation);
        work.close(id, null, "The customer confirmed it").block(TIMEOUT);
        assertThat(loads("sanitation")).isEqualTo(sanitation);
        assertHoldsAsCounted("housing", "sanitation");

        // and a request linked as a duplicate leaves its agent's load at once
        String parent = routed("heat-hot-water");
        String duplicate = routed("heat-hot-water");
        Map<String, Long> beforeLink = loads("housing");
        send(duplicate, linked(duplicate, parent));
        StoreCommands.awaitConsumed(brokers, "routing-service", List.of("city311.requests"));
        assertThat(loads("housing")).isEqualTo(plus(beforeLink, (String) work(duplicate).get("agent"), -1));
        assertHoldsAsCounted("housing");
    }

    @Test
    void shouldMoveNoLoadForAWriteThatChangedNothing() {
        // given a heat complaint Housing assigned, read, then accepted by m.rivera
        String id = routed("heat-hot-water");
        WorkItem stale = store.find(id).block(TIMEOUT);
        act(id, "accept", Map.of("agent", "m.rivera"));
        Map<String, Long> before = loads("housing");

        // when an action acts on the item as it was read, its guarded write matches nothing: a 409
        assertThatThrownBy(() -> work.resolve(id, null, new DepartmentWork.Cause("event-1", "test", stale), "fixed",
                null).block(TIMEOUT)).isInstanceOfSatisfying(DomainException.class,
                        conflict -> assertThat(conflict.kind()).isEqualTo(DomainException.Kind.CONFLICT));

        // then the loads are as they were (the moves its write made were taken back at once)
        assertThat(loads("housing")).isEqualTo(before).isEqualTo(counted("housing"));
        web.get().uri(RoutedRequests.WORK + "/{id}", id).exchange().expectBody().jsonPath("$.status")
                .isEqualTo("in_progress");

        // and an action the state machine refuses writes nothing at all
        web.post().uri(RoutedRequests.WORK + "/{id}/resume", id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of()).exchange().expectStatus().isEqualTo(409);
        assertThat(loads("housing")).isEqualTo(before);
    }

    @Test
    void shouldNotRaiseALoadForARedeliveredRequestOrOneLinkedBeforeItCame() {
        // given a heat complaint routed to Housing
        String id = newRequestId();
        String created = created(id, "heat-hot-water");
        send(id, created);
        agentOf(id);
        StoreCommands.awaitConsumed(brokers, "routing-service", List.of("city311.requests"));
        Map<String, Long> before = loads("housing");

        // when its request-created comes again (a crash before the offsets were committed)
        send(id, created);
        StoreCommands.awaitConsumed(brokers, "routing-service", List.of("city311.requests"));

        // then no load moved
        assertThat(loads("housing")).isEqualTo(before).isEqualTo(counted("housing"));

        // and a request linked as a duplicate before it arrives is routed closed: held by no one
        String early = newRequestId();
        send(early, linked(early, id));
        send(early, created(early, "heat-hot-water"));
        StoreCommands.awaitConsumed(brokers, "routing-service", List.of("city311.requests"));
        web.get().uri(RoutedRequests.WORK + "/{id}", early).exchange().expectBody().jsonPath("$.status")
                .isEqualTo("closed");
        assertThat(loads("housing")).isEqualTo(before).isEqualTo(counted("housing"));
    }

    @Test
    void shouldCountTheLoadsFromTheWorkAtStartWhenTheStoreKeptNone() {
        // given a store written before loads were kept: work open and closed, counters without loads, no lease
        routed("heat-hot-water");
        String accepted = routed("heat-hot-water");
        act(accepted, "accept", Map.of("agent", "m.rivera"));
        String resolved = routed("heat-hot-water");
        act(resolved, "resolve", Map.of("resolutionCode", "fixed"));
        Map<String, Long> expected = counted("housing");
        mongo.updateMulti(Query.query(Criteria.where("_id").regex("^queue:")), new Update().unset(AgentLoads.FIELD),
                WorkItem.COLLECTION).block(TIMEOUT);
        mongo.remove(Query.query(Criteria.where("_id").is(LoadRecount.LEASE)), AgentAssignment.COUNTERS)
                .block(TIMEOUT);
        assertThat(loads("housing")).isEmpty();

        // when the service starts
        LoadRecount started = new LoadRecount(mongo, catalog, loads, clock,
                new LoadsProperties(Duration.ofMinutes(10), Duration.ofHours(1)));
        try {
            // then the loads are counted from the work
            assertThat(loads("housing")).isNotEmpty().isEqualTo(expected);

            // and another instance starting now leaves the count to the one that made it: one command, no count
            int mark = commands.mark();
            assertThat(started.recountIfDue(Duration.ofMinutes(10)).block(TIMEOUT)).isFalse();
            assertThat(commands.since(mark)).extracting(StoreCommands.Command::toString)
                    .containsExactly("update assignment_counters");
        }
        finally {
            started.stop();
        }
    }

    @Test
    void shouldCountTheLoadsAgainSoonOnceOneIsSeenWrong() {
        // given Housing's loads, one of them made wrong by a write that went astray
        routed("heat-hot-water");
        clock.advance(Duration.ofMinutes(2));
        recount.check().block(TIMEOUT); // (whatever was due before)
        mongo.updateFirst(Query.query(Criteria.where("_id").is(QueueChanges.id("housing"))),
                new Update().inc(AgentLoads.FIELD + "." + AgentLoads.key("a.haddad"), -7), WorkItem.COLLECTION)
                .block(TIMEOUT);
        assertThat(recount.check().block(TIMEOUT)).isFalse();

        // when an assignment reads it, below zero (taken as none)
        routed("heat-hot-water");
        assertThat(loads("housing")).isNotEqualTo(counted("housing"));

        // then the loads are in doubt: a minute later the next check counts them again
        clock.advance(Duration.ofMinutes(2));
        int mark = commands.mark();
        assertThat(recount.check().block(TIMEOUT)).isTrue();
        List<StoreCommands.Command> counting = commands.since(mark);
        assertThat(loads("housing")).isEqualTo(counted("housing"));
        // from the queue index's keys: one query of the open work asking for department and agent alone (a covered
        // query: no work item read, which an aggregation did on the local store), no aggregation
        assertThat(counting).noneMatch(command -> command.name().equals("aggregate"))
                .filteredOn(command -> command.collection().equals(WorkItem.COLLECTION)
                        && command.name().equals("find") && command.json().contains("\"status\""))
                .singleElement().satisfies(command -> assertThat(command.json()).contains("\"department\": 1",
                        "\"agent\": 1", "\"_id\": 0"));
    }

    /** The agents' loads as kept in the department's counter document, zeros left out. */
    private Map<String, Long> loads(String department) {
        return loads.of(department).block(TIMEOUT);
    }

    /** The open work each agent holds in the department, counted in the store: what the loads must say. */
    private Map<String, Long> counted(String department) {
        Map<String, Long> counted = new HashMap<>();
        mongo.aggregate(Aggregation.newAggregation(
                        Aggregation.match(Criteria.where("department").is(department).and("status")
                                .in(WorkStatus.OPEN).and("agent").ne(null)),
                        Aggregation.group("agent").count().as("load")), WorkItem.class, Document.class)
                .toIterable().forEach(group -> counted.put(group.getString("_id"),
                        group.get("load", Number.class).longValue()));
        return counted;
    }

    private void assertHoldsAsCounted(String... departments) {
        for (String department : departments) {
            assertThat(loads(department)).as(department).isEqualTo(counted(department));
        }
    }

    private static Map<String, Long> plus(Map<String, Long> loads, String agent, long by) {
        Map<String, Long> moved = new HashMap<>(loads);
        long now = moved.getOrDefault(agent, 0L) + by;
        if (now == 0) {
            moved.remove(agent);
        }
        else {
            moved.put(agent, now);
        }
        return moved;
    }

    private static String leastLoaded(Map<String, Long> loads) {
        return AgentAssignment.leastLoaded(HOUSING, HOUSING.stream().map(agent -> loads.getOrDefault(agent, 0L))
                .toList());
    }

    private String routed(String serviceCode) {
        String id = newRequestId();
        send(id, created(id, serviceCode));
        agentOf(id);
        return id;
    }

    /** The agent the request's routed event names (null if none), once it is published. */
    private String agentOf(String id) {
        String routed = new KafkaTestClient(brokers).await("city311.routing", record -> id.equals(record.key()),
                TIMEOUT).value();
        return routed.contains("\"agent\"") ? routed.replaceAll("(?s).*\"agent\"\\s*:\\s*\"([^\"]+)\".*", "$1")
                : null;
    }

    private void act(String id, String action, Map<String, Object> body) {
        web.post().uri(RoutedRequests.WORK + "/{id}/{action}", id, action).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().isOk();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> work(String id) {
        return web.get().uri(RoutedRequests.WORK + "/{id}", id).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    private void send(String key, String event) {
        new KafkaTestClient(brokers).send("city311.requests", key, event);
    }

    private static String created(String id, String serviceCode) {
        return KafkaTestClient.example(EventContract.example("city311.request.created.v1"), id)
                .replaceAll("\"serviceCode\"\\s*:\\s*\"[^\"]+\"", "\"serviceCode\": \"" + serviceCode + "\"");
    }

    private static String linked(String duplicate, String parent) {
        return KafkaTestClient.example(EventContract.example("city311.request.linked.v1"), duplicate)
                .replace("311-00000017", parent);
    }

    private static String newRequestId() {
        return "311-" + (10_000_000 + (int) (Math.random() * 89_999_999));
    }
}
