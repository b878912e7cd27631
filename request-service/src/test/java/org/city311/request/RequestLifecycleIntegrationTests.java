package org.city311.request;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.city311.contracts.EventContract;
import org.city311.platform.security.Role;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.TestTokens;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.request.catalog.ServiceCatalogCopy;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Intake and status against the real Kafka broker (embedded KRaft) and the Mongo-wire store. */
@ServiceIntegrationTest
@EmbeddedKafka(partitions = 3, topics = { "city311.requests", "city311.routing", "city311.catalog", "city311.feedback" })
class RequestLifecycleIntegrationTests {

    @Autowired
    WebTestClient web;

    @Autowired
    Clock clock;

    @Autowired
    ServiceCatalogCopy catalog;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @BeforeEach
    void catalogPublishedByRoutingService() {
        CatalogFixture.published(catalog, brokers);
    }

    @Test
    void shouldAcceptRequestFromStaffAndPublishRequestCreated() {
        // given a call-centre agent taking a streetlight report by phone
        Map<String, Object> body = Map.of(
                "serviceCode", "streetlight-out",
                "description", "Light out in front of 12 Main St",
                "channel", "phone",
                "location", Map.of("address", "12 Main St", "latitude", 40.7128, "longitude", -74.006),
                "resident", Map.of("firstName", "Ana", "lastName", "Diaz", "phone", "212-555-0100"),
                "attributes", Map.of("pole-number", "P-1234", "hazards", List.of("near-school")));

        // when it is filed
        RequestViewBody created = web.post().uri("/api/requests").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearerWith(claims -> claims.claim("team", "call-centre"),
                        Role.STAFF))
                .exchange()
                .expectStatus().isCreated()
                .expectHeader().value("Location", location -> assertThat(location).startsWith("/api/requests/311-"))
                .expectBody(RequestViewBody.class).returnResult().getResponseBody();

        // then staff see it submitted, and request-created is on Kafka, keyed by the id, valid against the contract
        assertThat(created.status()).isEqualTo("submitted");
        ConsumerRecord<String, String> record = new KafkaTestClient(brokers)
                .await("city311.requests", r -> created.id().equals(r.key()), Duration.ofSeconds(15));
        EventContract.assertValid(record.value());
        assertThat(record.value()).contains("\"type\":\"city311.request.created.v1\"").contains("streetlight-out")
                .doesNotContain("Diaz").doesNotContain("212-555-0100");
        // with the filer's team, so that a transfer for a wrong service chosen at intake is counted for it
        assertThat(record.value()).contains("\"team\":\"call-centre\"");
        assertThat(new String(record.headers().lastHeader("content-type").value()))
                .startsWith("application/cloudevents+json");
        // and operations see the relay at work: events published, none left waiting
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(web.get().uri("/actuator/prometheus")
                .exchange().expectBody(String.class).returnResult().getResponseBody())
                .containsPattern("city311_outbox_published_total\\{application=\"request-service\"} [1-9]")
                .contains("city311_outbox_pending{application=\"request-service\"} 0.0"));
    }

    @Test
    void shouldShowRoutedThenResolvedOnceEvenWhenEventsAreRedelivered() {
        // given a filed request
        String id = file("pothole");
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        String routed = KafkaTestClient.example(EventContract.example("city311.request.routed.v1"), id);
        String resolved = KafkaTestClient.example(EventContract.example("city311.request.resolved.v1"), id);

        // when routing-service routes it, the same event arrives twice, then the department resolves it
        kafka.send("city311.routing", id, routed);
        kafka.send("city311.routing", id, routed);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(get(id).status()).isEqualTo("routed"));
        assertThat(get(id).department()).isEqualTo("transportation");
        kafka.send("city311.routing", id, resolved);

        // then staff see it resolved, with one timeline entry per step
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(get(id).status()).isEqualTo("resolved"));
        assertThat(get(id).history()).extracting(RequestViewBody.Entry::status)
                .containsExactly("submitted", "routed", "resolved");
    }

    @Test
    void shouldShowEachHopOfATransferAndTheCustomersFeedbackInTheTimeline() {
        String id = file("pothole");
        KafkaTestClient kafka = new KafkaTestClient(brokers);

        // when Transportation takes it, then transfers it to Environmental Protection, and the resident gives feedback
        kafka.send("city311.routing", id, KafkaTestClient.example(EventContract.example("city311.request.routed.v1"), id));
        kafka.send("city311.routing", id, KafkaTestClient.example(EventContract.example("city311.request.accepted.v1"), id));
        kafka.send("city311.routing", id, KafkaTestClient.example(EventContract.example("city311.request.transferred.v1"), id));
        kafka.send("city311.feedback", id, KafkaTestClient.example(EventContract.example("city311.feedback.received.v1"), id));

        // then staff see it with its new department, each hop in order, and the feedback as an internal entry
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(get(id).history()).hasSize(5));
        RequestViewBody request = get(id);
        assertThat(request.status()).isEqualTo("routed");
        assertThat(request.department()).isEqualTo("environmental-protection");
        assertThat(request.history()).extracting(RequestViewBody.Entry::kind)
                .containsExactly("submitted", "routed", "accepted", "feedback-received", "transferred");
        assertThat(request.history().get(4).note()).startsWith("Transferred from transportation to environmental-protection");
        assertThat(request.history().get(3).visibility()).isEqualTo("internal");
        assertThat(request.history().get(4).visibility()).isEqualTo("public");
    }

    @Test
    void shouldShowAHoldToEveryoneAndItsInternalReasonToStaffOnly() {
        // given a pothole Transportation is working on
        String id = file("pothole");
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        kafka.send("city311.routing", id, KafkaTestClient.example(EventContract.example("city311.request.routed.v1"), id));

        // when it is put on hold with a reason for staff only
        kafka.send("city311.routing", id, KafkaTestClient.example(EventContract.example("city311.request.put-on-hold.v1"), id)
                .replace("\"visibility\": \"public\"", "\"visibility\": \"internal\"")
                .replace("Waiting for gas company mark-out before the crew can dig.",
                        "Contractor Acme Paving disputes our invoice"));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(get(id).status()).isEqualTo("on_hold"));

        // then staff see the hold, and its reason marked internal
        assertThat(get(id).history()).filteredOn(entry -> "put-on-hold".equals(entry.kind()))
                .extracting(RequestViewBody.Entry::visibility, RequestViewBody.Entry::note)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("public", "On hold"),
                        org.assertj.core.groups.Tuple.tuple("internal", "On hold: Contractor Acme Paving disputes our invoice"));
        // and Open311 clients see the hold, never its reason
        // (the updates feed takes a window of at most a day, around when this service recorded the steps)
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String window = "?start_date=" + now.minus(Duration.ofHours(12)) + "&end_date=" + now.plus(Duration.ofHours(12));
        String request = open311("/open311/v2/requests/" + id + ".json?extensions=true");
        String requestXml = open311("/open311/v2/requests/" + id + ".xml?extensions=true");
        String updates = open311("/open311/v2/servicerequestupdates.json" + window);
        assertThat(List.of(request, requestXml, updates)).allSatisfy(body -> assertThat(body).contains(id)
                .doesNotContain("Acme", "invoice"));
        assertThat(request).containsPattern("\"status_notes\"\\s*:\\s*\"On hold\"");
        assertThat(updates).containsPattern("\"external_status_code\"\\s*:\\s*\"on_hold\"");
    }

    private String open311(String path) {
        return web.get().uri(path).exchange().expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody();
    }

    @Test
    void shouldSetAsidePoisonEventsInTheDeadLetterTopicAndKeepGoing() {
        String id = file("pothole");
        KafkaTestClient kafka = new KafkaTestClient(brokers);

        // when a malformed event and an event of an unknown version arrive before a good one for the same request
        kafka.send("city311.routing", id, "{not json");
        kafka.send("city311.routing", id, KafkaTestClient.example(EventContract.example("city311.request.routed.v1"), id)
                .replace("city311.request.routed.v1", "city311.request.routed.v9"));
        kafka.send("city311.routing", id, KafkaTestClient.example(EventContract.example("city311.request.routed.v1"), id));

        // then the good one is applied, and both bad ones wait in the dead-letter topic
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(get(id).status()).isEqualTo("routed"));
        kafka.await("city311.routing.dlq.request-service", record -> "{not json".equals(record.value()),
                Duration.ofSeconds(20));
        ConsumerRecord<String, String> unknownVersion = kafka.await("city311.routing.dlq.request-service",
                record -> record.value().contains("city311.request.routed.v9"), Duration.ofSeconds(20));
        assertThat(unknownVersion.key()).isEqualTo(id);
        // and operations see them counted
        assertThat(web.get().uri("/actuator/prometheus").exchange().expectBody(String.class).returnResult()
                .getResponseBody()).containsPattern("city311_events_rejected_total\\{application=\"request-service\",topic=\"city311.routing\"} [2-9]");
        assertThat(new String(unknownVersion.headers().lastHeader("x-exception-message").value()))
                .contains("unsupported version");
    }

    @Test
    void shouldSetAsideACatalogThatBreaksItsContractAndKeepTheCatalogInForce() {
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        int services = catalog.current().services().size();

        // when a newer catalog event arrives whose data is empty (it once replaced the catalog with none)
        String empty = KafkaTestClient.example(EventContract.example("city311.catalog.published.v1"), "catalog")
                .replaceAll("(?s)\"data\"\\s*:\\s*\\{.*\\}\\s*}\\s*$", "\"data\": {}}");
        assertThat(empty).contains("\"data\": {}}");
        kafka.send("city311.catalog", "catalog", empty);

        // then it waits in the dead-letter topic with the reason, and intake still knows every service
        ConsumerRecord<String, String> deadLetter = kafka.await("city311.catalog.dlq.request-service",
                record -> record.value().contains("\"data\": {}"), Duration.ofSeconds(30));
        assertThat(new String(deadLetter.headers().lastHeader("x-exception-message").value()))
                .contains("breaks its contract");
        assertThat(catalog.current().services()).hasSize(services).isNotEmpty();
        file("pothole"); // intake still files against it (file() expects 201)
    }

    @Test
    void shouldNotLetAStaleRoutingEventUndoAResolution() {
        String id = file("pothole");
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        String routed = KafkaTestClient.example(EventContract.example("city311.request.routed.v1"), id);
        String resolved = KafkaTestClient.example(EventContract.example("city311.request.resolved.v1"), id);

        // when the resolution arrives before the (older) routing
        kafka.send("city311.routing", id, resolved);
        kafka.send("city311.routing", id, routed);

        // then the request stays resolved, and the timeline still lists both in time order
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(get(id).history()).hasSize(3));
        assertThat(get(id).status()).isEqualTo("resolved");
        assertThat(get(id).history()).extracting(RequestViewBody.Entry::status)
                .containsExactly("submitted", "routed", "resolved");
    }

    @Test
    void shouldAnswerUnknownIdsOfAnyShapeWithAProblem() {
        for (String id : List.of("311-99999999", "nope", "{\"$gt\":\"\"}")) {
            web.get().uri("/api/requests/{id}", id).exchange()
                    .expectStatus().isNotFound()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        }
        // an encoded '%' never reaches a query: the firewall refuses the address
        web.get().uri("/api/requests/{id}", "%24gt").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void shouldRefuseInvalidRequestsWithTheFieldsAtFault() {
        web.post().uri("/api/requests").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("description", "no service", "channel", "phone",
                        "location", Map.of("latitude", 123.0, "longitude", -74.0)))
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[?(@.field == 'serviceCode')]").exists()
                .jsonPath("$.errors[?(@.field == 'location.latitude')]").exists();

        web.post().uri("/api/requests").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"serviceCode\": ")
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);

        web.post().uri("/api/requests").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("serviceCode", "pothole", "channel", "phone",
                        "attributes", Map.of("$where", "1", "size", "small")))
                .exchange()
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("attributes");
    }

    @Test
    void shouldFindRequestsByFiltersAndFreeTextAPageAtATime() {
        // given five requests filed by one agent, two of them about a flooded basement
        String agent = "agent-" + UUID.randomUUID();
        List<String> ids = new java.util.ArrayList<>();
        for (String description : List.of("Flooded basement", "Noise", "flooded BASEMENT again", "Pothole", "Rats")) {
            ids.add(web.post().uri("/api/requests").header(HttpHeaders.AUTHORIZATION, TestTokens.staff(agent))
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("serviceCode", "other", "channel", "phone", "filedBy", agent,
                            "description", description, "location", Map.of("address", "7 Water St")))
                    .exchange().expectStatus().isCreated()
                    .expectBody(RequestViewBody.class).returnResult().getResponseBody().id());
        }

        // when staff search by free text, case-insensitively
        web.get().uri("/api/requests?filedBy={agent}&q=flooded basement", agent).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo(2)
                .jsonPath("$.items[0].id").isEqualTo(ids.get(2))
                .jsonPath("$.items[1].id").isEqualTo(ids.get(0));

        // and page through all five, newest first, two at a time
        List<String> seen = new java.util.ArrayList<>();
        AtomicReference<String> cursor = new AtomicReference<>();
        do {
            SearchPageBody page = web.get().uri(builder -> builder.path("/api/requests").queryParam("filedBy", agent)
                            .queryParam("limit", 2).queryParamIfPresent("cursor", java.util.Optional.ofNullable(
                                    cursor.get())).build())
                    .exchange().expectStatus().isOk().expectBody(SearchPageBody.class).returnResult()
                    .getResponseBody();
            page.items().forEach(item -> seen.add(item.id()));
            cursor.set(page.next());
        }
        while (cursor.get() != null);
        assertThat(seen).containsExactly(ids.get(4), ids.get(3), ids.get(2), ids.get(1), ids.get(0));

        // and a bad filter is a clear error
        web.get().uri("/api/requests?status=lost&limit=1000").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[?(@.field == 'status')]").exists()
                .jsonPath("$.errors[?(@.field == 'limit')]").exists();
    }

    @Test
    void shouldStreamEachChangeLiveAndResumeFromTheLastEventId() {
        String id = file("pothole");
        KafkaTestClient kafka = new KafkaTestClient(brokers);

        // given staff following the request: a snapshot first, then the routing as it happens
        Flux<ServerSentEvent<Map>> stream = web.get().uri("/api/requests/{id}/events", id)
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<Map>>() { }).getResponseBody();
        AtomicReference<String> lastEventId = new AtomicReference<>();
        StepVerifier.create(stream.filter(event -> event.event() != null))
                .assertNext(event -> {
                    assertThat(event.event()).isEqualTo("snapshot");
                    assertThat(event.data()).containsEntry("status", "submitted").containsEntry("requestId", id);
                })
                .then(() -> kafka.send("city311.routing", id,
                        KafkaTestClient.example(EventContract.example("city311.request.routed.v1"), id)))
                .assertNext(event -> {
                    assertThat(event.event()).isEqualTo("routed");
                    assertThat(event.data()).containsEntry("department", "transportation").containsKey("at");
                    lastEventId.set(event.id());
                })
                .thenCancel()
                .verify(Duration.ofSeconds(30));

        // when it is resolved while the client is away
        kafka.send("city311.routing", id, KafkaTestClient.example(EventContract.example("city311.request.resolved.v1"), id));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(get(id).status()).isEqualTo("resolved"));

        // then reconnecting with the last id it saw delivers the missed change, and nothing before it
        Flux<ServerSentEvent<Map>> resumed = web.get().uri("/api/requests/{id}/events", id)
                .header("Last-Event-ID", lastEventId.get())
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<Map>>() { }).getResponseBody();
        StepVerifier.create(resumed.filter(event -> event.event() != null))
                .assertNext(event -> {
                    assertThat(event.event()).isEqualTo("resolved");
                    assertThat(event.data()).containsEntry("status", "resolved");
                })
                .thenCancel()
                .verify(Duration.ofSeconds(30));
    }

    private String file(String serviceCode) {
        return web.post().uri("/api/requests").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("serviceCode", serviceCode, "channel", "walk_in",
                        "location", Map.of("address", "5 Broadway"), "attributes", Map.of("size", "large")))
                .exchange().expectStatus().isCreated()
                .expectBody(RequestViewBody.class).returnResult().getResponseBody().id();
    }

    private RequestViewBody get(String id) {
        return web.get().uri("/api/requests/{id}", id).exchange().expectStatus().isOk()
                .expectBody(RequestViewBody.class).returnResult().getResponseBody();
    }

    record SearchPageBody(List<RequestViewBody> items, String next) {
    }

    /** The response as a client reads it (wire names, not our enums). */
    record RequestViewBody(String id, String status, String department, List<Entry> history) {
        record Entry(String kind, String status, String at, String department, String note, String visibility) {
        }
    }
}
