package org.city311.request;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.city311.contracts.EventContract;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.request.catalog.ServiceCatalogCopy;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Intake and status against the real Kafka broker (embedded KRaft) and the Mongo-wire store. */
@ServiceIntegrationTest
@EmbeddedKafka(partitions = 3, topics = { "city311.requests", "city311.routing", "city311.catalog" })
class RequestLifecycleIntegrationTests {

    @Autowired
    WebTestClient web;

    @Autowired
    ServiceCatalogCopy catalog;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @BeforeEach
    void catalogPublishedByRoutingService() {
        if (catalog.find().isEmpty()) {
            new KafkaTestClient(brokers).send("city311.catalog", "catalog",
                    EventContract.example("city311.catalog.published.v1"));
            await().atMost(Duration.ofSeconds(20)).until(() -> catalog.find().isPresent());
        }
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
        assertThat(new String(record.headers().lastHeader("content-type").value()))
                .startsWith("application/cloudevents+json");
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
    void shouldAnswerUnknownIdsOfAnyShapeWith404Problem() {
        for (String id : List.of("311-99999999", "nope", "{\"$gt\":\"\"}", "%24gt")) {
            web.get().uri("/api/requests/{id}", id).exchange()
                    .expectStatus().isNotFound()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        }
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

    /** The response as a client reads it (wire names, not our enums). */
    record RequestViewBody(String id, String status, String department, List<Entry> history) {
        record Entry(String status, String at, String department) {
        }
    }
}
