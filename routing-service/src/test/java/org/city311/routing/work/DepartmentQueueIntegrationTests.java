package org.city311.routing.work;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;

import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.city311.contracts.EventContract;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.EarlierBrokerKept;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.platform.test.TestClock;
import org.city311.platform.test.TestTokens;
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
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A department's queue as the staff console reads it — paged by a cursor, narrowed by view, with each request's
 * description and address, and an ETag that says "unchanged" without reading the work — and supervisors assigning
 * work without accepting it, against the real broker and store. The store's commands are counted as they go out.
 */
@ServiceIntegrationTest
@ExtendWith(EarlierBrokerKept.class)
@EmbeddedKafka(partitions = 3, topics = { "city311.requests", "city311.routing", "city311.feedback" })
class DepartmentQueueIntegrationTests {

    static final String AGENT_DOT = TestTokens.agent("transportation");
    static final String SUPERVISOR_DOT = TestTokens.supervisor("transportation");
    static final String SUPERVISOR_DEP = TestTokens.supervisor("environmental-protection");

    @Autowired
    WebTestClient web;

    @Autowired
    ReactiveMongoTemplate mongo;

    @Autowired
    TestClock clock;

    @Autowired
    StoreCommands commands;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    /** Every read the service sends the store while a test records: {@code <command> <collection> <body>}. */
    static final class StoreCommands implements CommandListener {

        private final List<String> seen = new CopyOnWriteArrayList<>();
        private volatile boolean recording;

        @Override
        public void commandStarted(CommandStartedEvent event) {
            if (recording) {
                String name = event.getCommandName();
                var command = event.getCommand();
                String collection = command.isString(name) ? command.getString(name).getValue() : "";
                if (name.equals("find") || name.equals("aggregate") || name.equals("count")) {
                    seen.add(name + " " + collection + " " + command.toJson());
                }
            }
        }

        void start() {
            seen.clear();
            recording = true;
        }

        void stop() {
            recording = false;
        }

        /** The reads since {@link #start()} of that collection, but for the outbox relay's. */
        List<String> of(String collection) {
            return seen.stream().filter(command -> command.split(" ")[1].equals(collection))
                    .filter(command -> !command.contains("\"outbox")) // the outbox relay's own reads
                    .toList();
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class CountStoreCommands {

        @Bean
        StoreCommands storeCommands() {
            return new StoreCommands();
        }

        @Bean
        MongoClientSettingsBuilderCustomizer recordStoreCommands(StoreCommands commands) {
            return settings -> settings.addCommandListener(commands);
        }
    }

    @Test
    void shouldWalkEveryOpenItemExactlyOnceInDueOrderAcrossPages() {
        // given triage's desk holds five "other" requests asked at different times (due five days after each)
        // and three of an unknown service, which have no standard and so no due time
        List<String> dated = new ArrayList<>();
        for (int hoursAgo : new int[] { 3, 30, 1, 12, 7 }) {
            dated.add(route("other", clock.instant().minus(Duration.ofHours(hoursAgo)),
                    "Something not listed anywhere, hours ago: " + hoursAgo));
        }
        List<String> undated = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            undated.add(route("no-such-service", clock.instant(), "An unknown service, number " + i));
        }

        // when the queue is walked three at a time, following each page's next link
        List<Map<String, Object>> walked = new ArrayList<>();
        String next = "/api/departments/triage/queue?limit=3";
        int pages = 0;
        while (next != null) {
            EntityExchangeResult<List<Map<String, Object>>> page = page(next, null);
            assertThat(page.getResponseBody()).hasSizeLessThanOrEqualTo(3);
            walked.addAll(page.getResponseBody());
            next = nextLink(page);
            pages++;
        }

        // then every item came exactly once, as the whole queue lists them in one page, most urgent first
        List<Object> ids = walked.stream().map(item -> item.get("requestId")).toList();
        List<Object> whole = page("/api/departments/triage/queue?limit=200", null).getResponseBody().stream()
                .map(item -> item.get("requestId")).toList();
        assertThat(ids).doesNotHaveDuplicates().isEqualTo(whole).containsAll(dated).containsAll(undated);
        assertThat(pages).isEqualTo((whole.size() + 2) / 3);
        // the dated ones by due time (the oldest request first), the undated ones after all of them, in routing order
        List<Object> mine = ids.stream().filter(id -> dated.contains(id) || undated.contains(id)).toList();
        List<String> byDue = new ArrayList<>(dated);
        byDue.sort(Comparator.comparing(id -> List.of(30, 12, 7, 3, 1).indexOf(
                List.of(3, 30, 1, 12, 7).get(dated.indexOf(id)))));
        List<Object> expected = new ArrayList<>(byDue);
        expected.addAll(undated);
        assertThat(mine).containsExactlyElementsOf(expected);
        List<Instant> dueTimes = walked.stream().filter(item -> item.get("resolutionDueAt") != null)
                .map(item -> Instant.parse((String) item.get("resolutionDueAt"))).toList();
        assertThat(dueTimes).isSorted();
        assertThat(walked.subList(dueTimes.size(), walked.size())).allSatisfy(item ->
                assertThat(item.get("resolutionDueAt")).isNull());

        // and a cursor that is not one of ours, or a page size out of range, is a clear 400
        web.get().uri("/api/departments/triage/queue?after=not-a-cursor").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("after");
        web.get().uri("/api/departments/triage/queue?limit=201").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("limit");
        web.get().uri("/api/departments/triage/queue?view=everything").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("view");
    }

    @Test
    void shouldShowEachItemsDescriptionAndAddressButNoPersonalData() {
        // given a pothole reported with an address and a point, by an event that also carries a resident's name
        // and phone (request-service sends none; a reader that ignores what it does not know keeps none)
        String id = newRequestId();
        String event = createdEvent(id, "pothole", clock.instant(), null).replaceFirst("\"data\"\\s*:\\s*\\{",
                "\"data\": {\"resident\": {\"name\": \"Ana Resident\", \"phone\": \"+1 212 555 0199\", "
                        + "\"email\": \"ana@example.org\"}, ");
        send(id, event);
        // and one whose description is far longer than a queue shows
        String longText = "The pothole on the corner is deep. ".repeat(40).strip();
        String longOne = route("pothole", clock.instant(), longText);

        // when the queue is read
        Map<String, Object> item = item("transportation", id);
        Map<String, Object> trimmed = item("transportation", longOne);

        // then each item says what and where
        assertThat(item.get("description")).asString().startsWith("The streetlight in front of the building");
        assertThat(item.get("location")).isEqualTo(Map.of("address", "120 Broadway, New York, NY 10271",
                "latitude", 40.7081, "longitude", -74.011));
        String shown = (String) trimmed.get("description");
        assertThat(shown).hasSizeLessThanOrEqualTo(WorkItem.DESCRIPTION_LENGTH).endsWith("\u2026");
        assertThat(longText).startsWith(shown.substring(0, shown.length() - 1));
        // and nothing personal is kept in routing's store
        String stored = mongo.findById(id, Document.class, WorkItem.COLLECTION).block(Duration.ofSeconds(5)).toJson();
        assertThat(stored).doesNotContain("Ana Resident").doesNotContain("212 555 0199")
                .doesNotContain("ana@example.org");

        // and an item routed before descriptions were kept shows none
        mongo.updateFirst(Query.query(Criteria.where("_id").is(id)), new Update().unset("description")
                .unset("location"), WorkItem.COLLECTION).block(Duration.ofSeconds(5));
        Map<String, Object> older = item("transportation", id);
        assertThat(older.get("description")).isNull();
        assertThat(older.get("location")).isNull();
        assertThat(older.get("status")).isEqualTo("routed");
    }

    @Test
    void shouldListWhatEachViewPromisesAndCountEachView() {
        // given four potholes: one assigned to the agent, one nobody has, one on hold, one long overdue
        String assigned = route("pothole", clock.instant(), "Assigned");
        String nobodys = route("pothole", clock.instant(), "Nobody's");
        String held = route("pothole", clock.instant(), "Held");
        String overdue = route("pothole", clock.instant().minus(Duration.ofDays(60)), "Long overdue");
        post(RoutedRequests.WORK + "/" + assigned + "/assign", SUPERVISOR_DOT, Map.of("agent", "agent.transportation"))
                .expectStatus().isOk();
        post(RoutedRequests.WORK + "/" + held + "/hold", SUPERVISOR_DOT, Map.of("reason", "Waiting for Con Ed"))
                .expectStatus().isOk();
        List<String> ours = List.of(assigned, nobodys, held, overdue);

        // when the agent reads each view, then each lists what it says, and only that
        assertThat(ids("all", ours)).containsExactly(overdue, assigned, nobodys, held);
        assertThat(ids("mine", ours)).containsExactly(assigned);
        assertThat(ids("unassigned", ours)).containsExactly(overdue, nobodys, held);
        assertThat(ids("on-hold", ours)).containsExactly(held);
        assertThat(ids("overdue", ours)).containsExactly(overdue);
        assertThat(view("overdue")).allSatisfy(item -> assertThat(item.get("overdue")).isEqualTo(true));
        assertThat(view("unassigned")).allSatisfy(item -> assertThat(item.get("agent")).isNull());
        assertThat(view("on-hold")).allSatisfy(item -> assertThat(item.get("status")).isEqualTo("on_hold"));
        // a view and an older parameter together narrow both ways
        assertThat(page("/api/departments/transportation/queue?view=mine&agent=someone.else&limit=200", null, AGENT_DOT)
                .getResponseBody()).isEmpty();
        assertThat(page("/api/departments/transportation/queue?view=overdue&status=on_hold&limit=200", null, AGENT_DOT)
                .getResponseBody()).extracting(item -> item.get("requestId")).doesNotContain(overdue);

        // and the counts say as much as each view lists
        Map<String, Object> counts = web.get().uri("/api/departments/transportation/queue/counts")
                .header(HttpHeaders.AUTHORIZATION, AGENT_DOT).exchange().expectStatus().isOk()
                .expectHeader().exists(HttpHeaders.ETAG)
                .expectBody(new org.springframework.core.ParameterizedTypeReference<Map<String, Object>>() {
                }).returnResult().getResponseBody();
        assertThat(counts).containsEntry("all", view("all").size()).containsEntry("mine", view("mine").size())
                .containsEntry("unassigned", view("unassigned").size())
                .containsEntry("onHold", view("on-hold").size()).containsEntry("overdue", view("overdue").size());
    }

    @Test
    void shouldAnswerNotModifiedFromOneReadUntilTheQueueChangesOrTimeTurnsAFlag() {
        // given Sanitation's queue (assigned in turn) with two requests, read once
        String first = route("missed-collection", clock.instant(), "Missed again");
        route("missed-collection", clock.instant(), "Missed too");
        String queue = "/api/departments/sanitation/queue?limit=1";
        String etag = page(queue, null).getResponseHeaders().getETag();

        // when it is asked again with that ETag, then 304, from one read of the counter and none of the work
        commands.start();
        web.get().uri(queue).header(HttpHeaders.IF_NONE_MATCH, etag).exchange().expectStatus().isNotModified()
                .expectHeader().valueEquals(HttpHeaders.ETAG, etag);
        commands.stop();
        String counter = "\"_id\": \"" + QueueChanges.id("sanitation") + "\"";
        assertThat(commands.of(WorkItem.COLLECTION)).singleElement()
                .matches(command -> command.startsWith("find") && command.contains(counter));
        // and a page is the counter and one query of the work, a page long
        commands.start();
        page(queue, null);
        commands.stop();
        assertThat(commands.of(WorkItem.COLLECTION)).hasSize(2);
        assertThat(commands.of(WorkItem.COLLECTION).get(0)).contains(counter);
        assertThat(commands.of(WorkItem.COLLECTION).get(1)).contains("\"limit\": 2");

        // when an agent accepts one, then the same ETag gets the new page and a new ETag
        post(RoutedRequests.WORK + "/" + first + "/accept", null, Map.of("agent", "d.okafor")).expectStatus().isOk();
        EntityExchangeResult<List<Map<String, Object>>> changed = page(queue, etag);
        String newEtag = changed.getResponseHeaders().getETag();
        assertThat(newEtag).isNotEqualTo(etag);
        web.get().uri(queue).header(HttpHeaders.IF_NONE_MATCH, newEtag).exchange().expectStatus().isNotModified();

        // when a new request is routed there, then too
        route("missed-collection", clock.instant(), "Missed a third time");
        newEtag = page(queue, newEtag).getResponseHeaders().getETag();
        // and when a request is transferred there from another department, the receiving queue changes as well
        String transportation = "/api/departments/transportation/queue?limit=1";
        String transportationEtag = page(transportation, null).getResponseHeaders().getETag();
        String pothole = route("pothole", clock.instant(), "Bags of trash in a pothole");
        transportationEtag = page(transportation, transportationEtag).getResponseHeaders().getETag();
        post(RoutedRequests.WORK + "/" + pothole + "/transfer", null, Map.of("toDepartment", "sanitation",
                "reason", "Trash, not a pothole")).expectStatus().isOk();
        page(transportation, transportationEtag);
        newEtag = page(queue, newEtag).getResponseHeaders().getETag();

        // when time passes the first item's resolution due time, with no write at all (read a minute before it,
        // asked again a minute after), then that ETag has lapsed and the item comes back overdue
        Instant due = Instant.parse((String) changed.getResponseBody().get(0).get("resolutionDueAt"));
        clock.advance(Duration.between(clock.instant(), due).minusMinutes(1));
        EntityExchangeResult<List<Map<String, Object>>> before = page(queue, newEtag);
        assertThat(before.getResponseBody().get(0)).containsEntry("overdue", false).containsEntry("dueSoon", true);
        clock.advance(Duration.ofMinutes(2));
        EntityExchangeResult<List<Map<String, Object>>> later = page(queue,
                before.getResponseHeaders().getETag());
        assertThat(later.getResponseBody().get(0)).containsEntry("requestId",
                before.getResponseBody().get(0).get("requestId")).containsEntry("overdue", true);

        // and the counts answer the same way: 304 while unchanged, 200 after a change
        String countsTag = web.get().uri("/api/departments/sanitation/queue/counts").exchange().expectStatus().isOk()
                .returnResult(String.class).getResponseHeaders().getETag();
        web.get().uri("/api/departments/sanitation/queue/counts").header(HttpHeaders.IF_NONE_MATCH, countsTag)
                .exchange().expectStatus().isNotModified();
        post(RoutedRequests.WORK + "/" + first + "/update", null, Map.of("note", "On the truck's route"))
                .expectStatus().isOk();
        web.get().uri("/api/departments/sanitation/queue/counts").header(HttpHeaders.IF_NONE_MATCH, countsTag)
                .exchange().expectStatus().isOk();
    }

    @Test
    void shouldAssignReassignAndUnassignWithoutAcceptingEachAsAnInternalNote() {
        // given a pothole nobody has
        String id = route("pothole", clock.instant(), "Assign me");

        // when its supervisor assigns it on the version they saw, then it is the agent's and still routed
        assign(id, "\"1\"", "k.osei", SUPERVISOR_DOT).expectStatus().isOk().expectHeader().valueEquals("ETag", "\"2\"")
                .expectBody().jsonPath("$.agent").isEqualTo("k.osei").jsonPath("$.status").isEqualTo("routed")
                .jsonPath("$.version").isEqualTo(2);
        // and one who saw an older version is refused, changing nothing
        assign(id, "\"1\"", "m.rivera", SUPERVISOR_DOT).expectStatus().isEqualTo(412);
        // reassigning without If-Match goes through; the same agent again changes nothing
        assign(id, null, "m.rivera", SUPERVISOR_DOT).expectStatus().isOk().expectBody().jsonPath("$.agent")
                .isEqualTo("m.rivera").jsonPath("$.version").isEqualTo(3);
        assign(id, "\"3\"", "m.rivera", SUPERVISOR_DOT).expectStatus().isOk().expectBody().jsonPath("$.version")
                .isEqualTo(3);
        // once accepted, reassigning keeps it in progress
        post(RoutedRequests.WORK + "/" + id + "/accept", SUPERVISOR_DOT, Map.of("agent", "m.rivera"))
                .expectStatus().isOk();
        assign(id, "\"4\"", "k.osei", SUPERVISOR_DOT).expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("in_progress").jsonPath("$.agent").isEqualTo("k.osei");
        // and unassigning (an empty agent) leaves it with nobody, still in progress
        assign(id, "\"5\"", "", SUPERVISOR_DOT).expectStatus().isOk().expectBody()
                .jsonPath("$.agent").doesNotExist().jsonPath("$.status").isEqualTo("in_progress")
                .jsonPath("$.version").isEqualTo(6);

        // then each assignment is an internal note on the request's timeline, in sequence, by the supervisor
        List<String> events = new KafkaTestClient(brokers).readAll("city311.routing", Duration.ofSeconds(3)).stream()
                .filter(record -> id.equals(record.key())).map(record -> record.value()).toList();
        assertThat(events).hasSize(6);
        for (int i = 0; i < events.size(); i++) {
            assertThat(events.get(i)).contains("\"sequence\":" + (i + 1));
            EventContract.assertValid(events.get(i));
        }
        assertThat(events.get(1)).contains("city311.request.updated.v1").contains("\"visibility\":\"internal\"")
                .contains("Assigned to k.osei").contains("\"actedby\":\"supervisor.transportation\"");
        assertThat(events.get(2)).contains("Reassigned from k.osei to m.rivera");
        assertThat(events.get(5)).contains("Unassigned (was k.osei)").contains("\"status\":\"in_progress\"");
    }

    @Test
    void shouldLetAgentsAssignOnlyThemselvesAndNoOneAssignAnotherDepartmentsWork() {
        String id = route("pothole", clock.instant(), "Whose is it?");

        // an agent may not give work to someone else, nor take it from them; they may take it themselves
        assign(id, null, "k.osei", AGENT_DOT).expectStatus().isForbidden();
        assign(id, null, "", AGENT_DOT).expectStatus().isForbidden();
        assign(id, null, "agent.transportation", AGENT_DOT).expectStatus().isOk().expectBody().jsonPath("$.agent")
                .isEqualTo("agent.transportation");
        // a supervisor of another department may not assign it at all, nor assign in that department's queue
        assign(id, null, "k.osei", SUPERVISOR_DEP).expectStatus().isForbidden();
        post("/api/departments/transportation/assignments", SUPERVISOR_DEP,
                Map.of("agent", "k.osei", "items", List.of(Map.of("requestId", id)))).expectStatus().isForbidden();
        post("/api/departments/transportation/assignments", AGENT_DOT,
                Map.of("agent", "agent.transportation", "items", List.of(Map.of("requestId", id))))
                .expectStatus().isForbidden();
        web.get().uri(RoutedRequests.WORK + "/{id}", id).exchange().expectBody().jsonPath("$.agent")
                .isEqualTo("agent.transportation");
    }

    @Test
    void shouldAssignInBulkWithAResultPerItem() {
        // given three potholes, one of which someone accepted since the supervisor loaded the queue, a request of
        // Sanitation's, and one that does not exist
        String first = route("pothole", clock.instant(), "Bulk one");
        String stale = route("pothole", clock.instant(), "Bulk two");
        String third = route("pothole", clock.instant(), "Bulk three");
        String elsewhere = route("missed-collection", clock.instant(), "Not ours");
        post(RoutedRequests.WORK + "/" + stale + "/accept", SUPERVISOR_DOT, Map.of("agent", "m.rivera"))
                .expectStatus().isOk();

        // when the supervisor gives all of them to k.osei, on the versions they saw
        List<Map<String, Object>> items = List.of(Map.of("requestId", first, "version", 1),
                Map.of("requestId", stale, "version", 1), Map.of("requestId", elsewhere, "version", 1),
                Map.of("requestId", "311-00000000", "version", 1), Map.of("requestId", third));
        post("/api/departments/transportation/assignments", SUPERVISOR_DOT, Map.of("agent", "k.osei", "items", items))
                .expectStatus().isOk().expectBody()
                // then each item has its own result, in the order given
                .jsonPath("$.results[*].requestId").isEqualTo(List.of(first, stale, elsewhere, "311-00000000", third))
                .jsonPath("$.results[*].result").isEqualTo(List.of("assigned", "conflict", "forbidden", "not-found",
                        "assigned"))
                .jsonPath("$.results[0].version").isEqualTo(2).jsonPath("$.results[0].agent").isEqualTo("k.osei")
                .jsonPath("$.results[1].detail").value(detail -> assertThat((String) detail).contains("version 2"));

        // and only those changed
        web.get().uri(RoutedRequests.WORK + "/{id}", first).exchange().expectBody().jsonPath("$.agent")
                .isEqualTo("k.osei").jsonPath("$.status").isEqualTo("routed");
        web.get().uri(RoutedRequests.WORK + "/{id}", stale).exchange().expectBody().jsonPath("$.agent")
                .isEqualTo("m.rivera");
        web.get().uri(RoutedRequests.WORK + "/{id}", elsewhere).exchange().expectBody().jsonPath("$.agent")
                .value(agent -> assertThat(agent).isNotEqualTo("k.osei"));

        // and more than a hundred at once is refused whole, as is none
        List<Map<String, Object>> tooMany = Collections.nCopies(101, Map.of("requestId", first));
        post("/api/departments/transportation/assignments", SUPERVISOR_DOT, Map.of("agent", "k.osei",
                "items", tooMany)).expectStatus().isBadRequest();
        post("/api/departments/transportation/assignments", SUPERVISOR_DOT, Map.of("agent", "k.osei",
                "items", List.of())).expectStatus().isBadRequest();
    }

    private List<Object> ids(String view, List<String> ours) {
        return view(view).stream().map(item -> item.get("requestId")).filter(ours::contains).toList();
    }

    private List<Map<String, Object>> view(String view) {
        return page("/api/departments/transportation/queue?limit=200&view=" + view, null, AGENT_DOT).getResponseBody();
    }

    private Map<String, Object> item(String department, String id) {
        return page("/api/departments/" + department + "/queue?limit=200", null).getResponseBody().stream()
                .filter(item -> id.equals(item.get("requestId"))).findFirst().orElseThrow();
    }

    private EntityExchangeResult<List<Map<String, Object>>> page(String uri, String ifNoneMatch) {
        return page(uri, ifNoneMatch, null);
    }

    /** A page read as {@code token} (null: the tests' standard caller), which must be a 200 with an ETag. */
    private EntityExchangeResult<List<Map<String, Object>>> page(String uri, String ifNoneMatch, String token) {
        WebTestClient.RequestHeadersSpec<?> request = web.get().uri(uri);
        if (token != null) {
            request = request.header(HttpHeaders.AUTHORIZATION, token);
        }
        if (ifNoneMatch != null) {
            request = request.header(HttpHeaders.IF_NONE_MATCH, ifNoneMatch);
        }
        return request.exchange().expectStatus().isOk().expectHeader().exists(HttpHeaders.ETAG)
                .expectBody(new org.springframework.core.ParameterizedTypeReference<List<Map<String, Object>>>() {
                }).returnResult();
    }

    /** The target of a {@code Link: <...>; rel="next"} header, or null. */
    private static String nextLink(EntityExchangeResult<?> page) {
        String link = page.getResponseHeaders().getFirst(HttpHeaders.LINK);
        if (link == null) {
            return null;
        }
        Matcher next = java.util.regex.Pattern.compile("<([^>]+)>;\\s*rel=\"next\"").matcher(link);
        assertThat(next.find()).as("a next link: %s", link).isTrue();
        return next.group(1);
    }

    private WebTestClient.ResponseSpec assign(String id, String ifMatch, String agent, String token) {
        WebTestClient.RequestBodySpec request = web.post().uri(RoutedRequests.WORK + "/{id}/assign", id)
                .header(HttpHeaders.AUTHORIZATION, token);
        if (ifMatch != null) {
            request = request.header(HttpHeaders.IF_MATCH, ifMatch);
        }
        return request.contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("agent", agent)).exchange();
    }

    private WebTestClient.ResponseSpec post(String uri, String token, Object body) {
        WebTestClient.RequestBodySpec request = web.post().uri(uri);
        if (token != null) {
            request = request.header(HttpHeaders.AUTHORIZATION, token);
        }
        return request.contentType(org.springframework.http.MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    /** A new request routed by the service: asked at {@code submittedAt}, saying {@code description}. */
    private String route(String serviceCode, Instant submittedAt, String description) {
        String id = newRequestId();
        send(id, createdEvent(id, serviceCode, submittedAt, description));
        return id;
    }

    private void send(String id, String event) {
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        kafka.send("city311.requests", id, event);
        kafka.await("city311.routing", record -> id.equals(record.key()), Duration.ofSeconds(20));
    }

    private static String createdEvent(String id, String serviceCode, Instant submittedAt, String description) {
        String event = KafkaTestClient.example(EventContract.example("city311.request.created.v1"), id)
                .replaceAll("\"serviceCode\"\\s*:\\s*\"[^\"]+\"", "\"serviceCode\": \"" + serviceCode + "\"")
                .replaceAll("\"submittedAt\"\\s*:\\s*\"[^\"]+\"", "\"submittedAt\": \"" + submittedAt + "\"");
        if (description != null) {
            event = event.replaceAll("\"description\"\\s*:\\s*\"[^\"]+\"",
                    Matcher.quoteReplacement("\"description\": \"" + description + "\""));
        }
        return event;
    }

    private static String newRequestId() {
        return "311-" + (10_000_000 + (int) (Math.random() * 89_999_999));
    }
}
