package org.city311.request.live;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.city311.contracts.EventContract;
import org.city311.platform.security.Role;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.MongoWireTestServer;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.platform.test.StoreCommands;
import org.city311.platform.test.TestClock;
import org.city311.platform.test.TestTokens;
import org.city311.request.CatalogFixture;
import org.city311.request.RequestStore;
import org.city311.request.catalog.ServiceCatalogCopy;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Live updates stay within the caller's rights: each change is checked against what they may read, a stream lasts
 * as long as its token, resuming reaches a day back at most, and one user holds at most five streams per instance.
 * <p>
 * These tests move the services' clock on, so they have a context of their own; their streams' tokens are valid
 * for long enough that no stream ends early on the moved clock (tokens are checked against the machine's clock,
 * a stream's end against the services' one).
 */
@ServiceIntegrationTest
@TestPropertySource(properties = "city311.test.context=live-updates")
@Import(StoreCommands.Recording.class)
@EmbeddedKafka(partitions = 3, topics = { "city311.requests", "city311.routing", "city311.catalog", "city311.feedback" })
class LiveUpdatesIntegrationTests {

    static final Duration LONG = Duration.ofDays(30);
    static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    WebTestClient web;

    @Autowired
    ServiceCatalogCopy catalog;

    @Autowired
    TestClock clock;

    @Autowired
    OpenStreams streams;

    @Autowired
    StoreCommands storeCommands;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Value("${spring.mongodb.database}")
    String database;

    static MongoClient otherClient;

    KafkaTestClient kafka;

    @AfterAll
    static void closeOtherClient() {
        if (otherClient != null) {
            otherClient.close();
            otherClient = null;
        }
    }

    @BeforeEach
    void catalogPublishedByRoutingService() {
        CatalogFixture.published(catalog, brokers);
        kafka = new KafkaTestClient(brokers);
    }

    @Test
    void shouldStopShowingARequestTransferredAwayFromTheAgentsDepartmentInternalNotesIncluded() {
        // given a request routed to Transportation, followed live by one of its agents, who sees it accepted
        String id = file();
        send("city311.routing", "city311.request.routed.v1", id);
        await().atMost(WAIT).until(() -> "transportation".equals(request(id).get("department")));
        String agent = TestTokens.bearer(LONG, "agent.transportation", "transportation", Role.AGENT);
        AtomicReference<String> lastSeen = new AtomicReference<>();
        StepVerifier.create(withoutKeepAlives(events(id, agent, null)))
                .assertNext(event -> assertThat(event.event()).isEqualTo("snapshot"))
                .then(() -> send("city311.routing", "city311.request.accepted.v1", id))
                .assertNext(event -> {
                    assertThat(event.event()).isEqualTo("accepted");
                    lastSeen.set(event.id());
                })
                // when it is transferred to Environmental Protection, and the resident's feedback (an internal
                // entry) arrives there
                .then(() -> {
                    send("city311.routing", "city311.request.transferred.v1", id);
                    await().atMost(WAIT).until(() -> "environmental-protection".equals(request(id).get("department")));
                    send("city311.feedback", "city311.feedback.received.v1", id);
                    await().atMost(WAIT).until(() -> request(id).toString().contains("feedback-received"));
                })
                // then the agent's stream shows neither: it says why and ends
                .assertNext(event -> assertThat(event.comment()).isEqualTo("closed: you may no longer read " + id))
                .expectComplete()
                .verify(WAIT);

        // and reconnecting is refused, while staff, who read every request, get both from where the agent was
        web.get().uri("/api/requests/{id}/events", id).header(HttpHeaders.AUTHORIZATION, agent)
                .header("Last-Event-ID", lastSeen.get()).accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .expectStatus().isForbidden();
        String staff = TestTokens.bearer(LONG, "staff.transfers", null, Role.STAFF);
        StepVerifier.create(withoutKeepAlives(events(id, staff, lastSeen.get())))
                .assertNext(event -> assertThat(event.event()).isEqualTo("transferred"))
                .assertNext(event -> {
                    assertThat(event.event()).isEqualTo("feedback-received");
                    assertThat(event.data()).containsEntry("visibility", "internal");
                })
                .thenCancel()
                .verify(WAIT);
    }

    @Test
    void shouldEndAStreamWhenItsTokenExpiresAndServeTheReconnectWithAFreshOne() {
        // given staff following a request with a token that expires in a minute
        String id = file();
        String token = TestTokens.bearer(Duration.ofMinutes(1), clock.instant(), "staff.short", null, Role.STAFF);
        Instant expiresAt = TestTokens.expiresAt(token);
        StepVerifier.create(withoutKeepAlives(events(id, token, null)))
                .assertNext(event -> assertThat(event.event()).isEqualTo("snapshot"))
                // when that minute has passed
                .then(() -> clock.advance(positive(Duration.between(clock.instant(), expiresAt).plusSeconds(1))))
                // then the stream says why and ends
                .assertNext(event -> assertThat(event.comment()).startsWith("closed: your token expired"))
                .expectComplete()
                .verify(WAIT);

        // and the client reconnects with a fresh token
        String fresh = TestTokens.bearer(LONG, "staff.short", null, Role.STAFF);
        StepVerifier.create(withoutKeepAlives(events(id, fresh, null)))
                .assertNext(event -> assertThat(event.event()).isEqualTo("snapshot"))
                .thenCancel()
                .verify(WAIT);
    }

    @Test
    void shouldResumeFromAnIdOfTheLastDayAndAnswerAnOlderOneWithAFreshSnapshot() {
        // given staff who saw a request's snapshot, then closed the page
        String id = file();
        String token = TestTokens.bearer(LONG, "staff.away", null, Role.STAFF);
        AtomicReference<String> lastSeen = new AtomicReference<>();
        StepVerifier.create(withoutKeepAlives(events(id, token, null)))
                .assertNext(event -> {
                    assertThat(event.event()).isEqualTo("snapshot");
                    lastSeen.set(event.id());
                })
                .thenCancel()
                .verify(WAIT);

        // when it is routed 23 hours later, they reconnect with the id they last saw: the change is delivered
        clock.advance(Duration.ofHours(23));
        send("city311.routing", "city311.request.routed.v1", id);
        await().atMost(WAIT).until(() -> "routed".equals(request(id).get("status")));
        StepVerifier.create(withoutKeepAlives(events(id, token, lastSeen.get())))
                .assertNext(event -> assertThat(event.event()).isEqualTo("routed"))
                .thenCancel()
                .verify(WAIT);

        // and with the same id more than a day after it, they get the current state instead of every change since
        clock.advance(Duration.ofHours(2));
        StepVerifier.create(withoutKeepAlives(events(id, token, lastSeen.get())))
                .assertNext(event -> {
                    assertThat(event.event()).isEqualTo("snapshot");
                    assertThat(event.data()).containsEntry("status", "routed").containsEntry("requestId", id);
                })
                .thenCancel()
                .verify(WAIT);
    }

    @Test
    void shouldCloseAUsersOldestStreamWhenTheyOpenASixth() {
        // given a staff member with a request open in five tabs
        String id = file();
        String token = TestTokens.bearer(LONG, "staff.many-tabs", null, Role.STAFF);
        List<Follower> tabs = new ArrayList<>();
        try {
            for (int tab = 0; tab < 6; tab++) {
                // when they open a sixth
                Follower follower = new Follower(events(id, token, null));
                tabs.add(follower);
                await().atMost(WAIT).until(() -> follower.names().contains("snapshot"));
            }

            // then the first one ends, saying why, and the five newest stay open
            await().atMost(WAIT).until(() -> tabs.get(0).ended.get());
            assertThat(tabs.get(0).comments()).anyMatch(comment -> comment.startsWith("closed: a newer stream"));
            assertThat(tabs.subList(1, 6)).noneMatch(follower -> follower.ended.get());
            assertThat(streams.openBy("staff.many-tabs")).isEqualTo(5);
        }
        finally {
            tabs.forEach(Follower::close);
        }
        // and closing them frees their places
        await().atMost(WAIT).until(() -> streams.openBy("staff.many-tabs") == 0);
    }

    @Test
    void shouldServeEveryOpenStreamFromOneSharedStoreReadPerPoll() {
        // given five call-takers, each following their own filings live
        List<String> ids = new ArrayList<>();
        List<Follower> followers = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                String token = TestTokens.bearer(LONG, "staff.shared-" + i, null, Role.STAFF);
                ids.add(file(token));
                Follower follower = new Follower(myFilings(token));
                followers.add(follower);
                await().atMost(WAIT).until(() -> follower.names().contains("snapshot"));
            }
            awaitPollsBySignals();
            int mark = storeCommands.mark();
            long started = System.nanoTime();

            // when each one's request is routed
            ids.forEach(id -> send("city311.routing", "city311.request.routed.v1", id));

            // then each sees their own request routed, and no one else's
            for (int i = 0; i < 5; i++) {
                Follower follower = followers.get(i);
                String own = ids.get(i);
                await().atMost(WAIT).until(() -> follower.names().contains("routed"));
                assertThat(follower.received).filteredOn(event -> "routed".equals(event.event()))
                        .extracting(event -> event.data().get("requestId")).containsOnly(own);
            }
            // and the store was read at most once per poll interval for all five streams, not once per stream: the
            // seconds' signals, then the requests they name, both by _id
            long intervals = (System.nanoTime() - started) / LiveUpdates.POLL.toNanos() + 2;
            List<StoreCommands.Command> polls = signalReads(mark);
            assertThat(polls).isNotEmpty();
            assertThat(polls.size()).as("signal reads in %d poll intervals with five streams open", intervals)
                    .isLessThanOrEqualTo((int) intervals);
            // (the routing consumer's own read of a batch's requests, by its projection of their timelines' event ids,
            // is no stream's: how many batches the five events make depends on the broker's timing)
            List<StoreCommands.Command> streamReads = storeCommands.since(mark, "find", "requests").stream()
                    .filter(command -> !command.json().contains(RequestStore.HISTORY_EVENT_ID)).toList();
            assertThat(streamReads.size())
                    .as("request reads in %d poll intervals with five streams open", intervals)
                    .isLessThanOrEqualTo((int) intervals);
            assertThat(StoreCommands.notIdPinned(storeCommands.since(mark))).isEmpty();
        }
        finally {
            followers.forEach(Follower::close);
        }
    }

    @Test
    void shouldReadNothingButByIdWhileStreamsAreOpenAndNothingChangesWithAHistoryStored() {
        // given 2,000 requests filed long ago (stored by another client: no signal of this instance names them)
        storeHistory(2_000);
        // and a call-taker following their filings live, who has seen their snapshot
        String token = TestTokens.bearer(LONG, "staff.idle", null, Role.STAFF);
        file(token);
        Follower follower = new Follower(myFilings(token));
        try {
            await().atMost(WAIT).until(() -> follower.names().contains("snapshot"));
            awaitPollsBySignals();
            // (the filing's own signal has the polls of the next few seconds read it: a second of polls without)
            AtomicInteger from = new AtomicInteger(storeCommands.mark());
            await("a second of polls that read no request").atMost(WAIT).pollDelay(Duration.ofSeconds(1))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> {
                        int since = from.getAndSet(storeCommands.mark());
                        return !signalReads(since).isEmpty()
                                && storeCommands.since(since, "find", "requests").isEmpty();
                    });

            // when nothing changes for a few polls
            int idle = storeCommands.mark();

            // then the polls read the signals by _id, and no request: nothing walks the requests
            await().during(Duration.ofSeconds(2)).atMost(WAIT).untilAsserted(() -> {
                List<StoreCommands.Command> sent = storeCommands.since(idle);
                assertThat(StoreCommands.tally(StoreCommands.notIdPinned(sent))).isEmpty();
                assertThat(StoreCommands.tally(sent)).doesNotContainKey("find requests");
            });
            assertThat(signalReads(idle)).isNotEmpty();
        }
        finally {
            follower.close();
        }
    }

    @Test
    void shouldDeliverAChangeThatAnotherInstanceWroteAndSignalled() {
        // given staff following a request live
        String id = file();
        String token = TestTokens.bearer(LONG, "staff.elsewhere", null, Role.STAFF);
        Follower follower = new Follower(events(id, token, null));
        try {
            await().atMost(WAIT).until(() -> follower.names().contains("snapshot"));
            awaitPollsBySignals();

            // when another instance adds a note to its timeline, and records that it changed the request, as each
            // instance does (this instance's client sees neither write)
            ReactiveMongoTemplate otherInstance = otherClient();
            Document stored = otherInstance.findById(id, Document.class, "requests").block(WAIT);
            Document note = new Document(stored.getList("history", Document.class).get(0))
                    .append("kind", "updated").append("note", "Crew booked for Tuesday")
                    .append("eventId", java.util.UUID.randomUUID().toString())
                    .append("recordedAt", java.util.Date.from(clock.instant()));
            otherInstance.updateFirst(Query.query(Criteria.where("_id").is(id)), new Update().push("history", note),
                    "requests").block(WAIT);
            otherInstance.upsert(Query.query(Criteria.where("_id").is(clock.instant().getEpochSecond())),
                    new Update().addToSet("ids", id), ChangeSignals.COLLECTION).block(WAIT);

            // then the stream here delivers it
            await().atMost(WAIT).until(() -> follower.names().contains("updated"));
            assertThat(follower.received).filteredOn(event -> "updated".equals(event.event()))
                    .extracting(event -> event.data().get("note")).containsExactly("Crew booked for Tuesday");
        }
        finally {
            follower.close();
        }
    }

    /**
     * Until the polls read the signals: the first stream opened while no instance listened has them read by time for
     * a few seconds, until every writer records its signals.
     */
    private void awaitPollsBySignals() {
        AtomicInteger from = new AtomicInteger(storeCommands.mark());
        await("a poll that reads the signals, not the requests by time").atMost(WAIT)
                .pollInterval(Duration.ofMillis(600)).until(() -> {
                    int since = from.getAndSet(storeCommands.mark());
                    return !signalReads(since).isEmpty() && StoreCommands.notIdPinned(storeCommands.since(since))
                            .isEmpty();
                });
    }

    /** The polls' reads of the seconds' signals (not of the listeners' marker). */
    private List<StoreCommands.Command> signalReads(int mark) {
        return storeCommands.since(mark, "find", ChangeSignals.COLLECTION).stream()
                .filter(command -> !command.json().contains(ChangeSignals.MARKER)).toList();
    }

    /** Copies of a filed request, filed days ago by someone else, stored through a client of their own. */
    private void storeHistory(int count) {
        ReactiveMongoTemplate otherInstance = otherClient();
        Document template = otherInstance.findById(file(), Document.class, "requests").block(WAIT);
        Instant longAgo = clock.instant().minus(Duration.ofDays(40));
        List<Document> history = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Document request = new Document(template);
            request.put("_id", "history-" + i + "-" + java.util.UUID.randomUUID());
            request.put("filedBy", "staff.long-gone");
            request.put("updatedAt", java.util.Date.from(longAgo));
            request.put("history", template.getList("history", Document.class).stream()
                    .map(change -> new Document(change).append("recordedAt", java.util.Date.from(longAgo))
                            .append("at", java.util.Date.from(longAgo)))
                    .toList());
            request.remove("outbox");
            history.add(request);
        }
        otherInstance.insert(history, "requests").then().block(WAIT);
    }

    private ReactiveMongoTemplate otherClient() {
        if (otherClient == null) {
            otherClient = MongoClients.create(MongoWireTestServer.uri());
        }
        return new ReactiveMongoTemplate(otherClient, database);
    }

    /** One open tab: what it received, and whether its stream ended. */
    static final class Follower {

        final List<ServerSentEvent<Map>> received = new CopyOnWriteArrayList<>();
        final AtomicBoolean ended = new AtomicBoolean();
        final Disposable subscription;

        Follower(Flux<ServerSentEvent<Map>> stream) {
            subscription = stream.subscribe(received::add, error -> ended.set(true), () -> ended.set(true));
        }

        List<String> names() {
            return received.stream().map(ServerSentEvent::event).filter(java.util.Objects::nonNull).toList();
        }

        List<String> comments() {
            return received.stream().map(ServerSentEvent::comment).filter(java.util.Objects::nonNull).toList();
        }

        void close() {
            subscription.dispose();
        }
    }

    private Flux<ServerSentEvent<Map>> myFilings(String token) {
        return web.get().uri("/api/requests/events").header(HttpHeaders.AUTHORIZATION, token)
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<Map>>() { }).getResponseBody();
    }

    private Flux<ServerSentEvent<Map>> events(String id, String token, String lastEventId) {
        return web.get().uri("/api/requests/{id}/events", id)
                .headers(headers -> {
                    headers.set(HttpHeaders.AUTHORIZATION, token);
                    if (lastEventId != null) {
                        headers.set("Last-Event-ID", lastEventId);
                    }
                })
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<Map>>() { }).getResponseBody();
    }

    private static Flux<ServerSentEvent<Map>> withoutKeepAlives(Flux<ServerSentEvent<Map>> events) {
        return events.filter(event -> !"keep-alive".equals(event.comment()));
    }

    private void send(String topic, String type, String id) {
        kafka.send(topic, id, KafkaTestClient.example(EventContract.example(type), id));
    }

    private String file() {
        return file(null);
    }

    private String file(String token) {
        return web.post().uri("/api/requests").contentType(MediaType.APPLICATION_JSON)
                .headers(headers -> {
                    if (token != null) {
                        headers.set(HttpHeaders.AUTHORIZATION, token);
                    }
                })
                .bodyValue(Map.of("serviceCode", "pothole", "channel", "walk_in",
                        "location", Map.of("address", "5 Broadway"), "attributes", Map.of("size", "large")))
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> request(String id) {
        return web.get().uri("/api/requests/{id}", id).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    private static Duration positive(Duration duration) {
        return duration.isNegative() ? Duration.ZERO : duration;
    }
}
