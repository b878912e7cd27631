package org.city311.routing.work;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import org.city311.contracts.EventContract;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.routing.catalog.CatalogPublication;
import org.city311.routing.catalog.ServiceCatalog;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Routing and department work against the real Kafka broker (embedded KRaft) and the Mongo-wire store. */
@ServiceIntegrationTest
@EmbeddedKafka(partitions = 3, topics = { "city311.requests", "city311.routing" })
class RoutingIntegrationTests {

    @Autowired
    WebTestClient web;

    @Autowired
    CatalogPublication catalogPublication;

    @Autowired
    ServiceCatalog catalog;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Test
    void shouldRouteStreetlightRequestToTransportationOnceEvenWhenDeliveredTwice() {
        // given a request-created event for a street light, delivered twice
        String id = newRequestId();
        String created = createdEvent(id, "streetlight-out");
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        kafka.send("city311.requests", id, created);
        kafka.send("city311.requests", id, created);

        // then one request-routed event names Transportation and the rule, valid against the contract
        ConsumerRecord<String, String> routed = kafka.await("city311.routing", r -> id.equals(r.key()),
                Duration.ofSeconds(20));
        EventContract.assertValid(routed.value());
        assertThat(routed.value()).contains("\"department\":\"transportation\"").contains("\"rule\":\"service-owner\"");
        List<ConsumerRecord<String, String>> all = kafka.readAll("city311.routing", Duration.ofSeconds(2));
        assertThat(all).filteredOn(r -> id.equals(r.key())).hasSize(1);

        // and the request waits in Transportation's queue
        web.get().uri("/api/departments/transportation/queue").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$[?(@.requestId == '" + id + "')].status").isEqualTo("routed");
    }

    @Test
    void shouldRouteTheContractsCreatedExampleAsTheRoutedExampleSays() {
        // given the contract's street light at 120 Broadway, filed on a Monday morning
        String id = newRequestId();
        KafkaTestClient kafka = new KafkaTestClient(brokers);

        // (at its own Monday: the due times depend on the day of the week)
        kafka.send("city311.requests", id,
                KafkaTestClient.example(EventContract.example("city311.request.created.v1"), id));

        // then its routed event has what the routed example shows: the district and the due times of the standard
        String routed = kafka.await("city311.routing", r -> id.equals(r.key()), Duration.ofSeconds(20)).value();
        String example = EventContract.example("city311.request.routed.v1");
        for (String field : List.of("department", "district", "firstActionDueAt", "resolutionDueAt")) {
            assertThat(value(routed, field)).as(field).isEqualTo(value(example, field));
        }
        assertThat(routed).doesNotContain("\"agent\"").contains("\"status\":\"routed\"");
    }

    @Test
    void shouldSendAnUnknownServiceToTheTriageDesk() {
        String id = newRequestId();
        String created = createdEvent(id, "no-such-service");
        KafkaTestClient kafka = new KafkaTestClient(brokers);

        kafka.send("city311.requests", id, created);

        ConsumerRecord<String, String> routed = kafka.await("city311.routing", r -> id.equals(r.key()),
                Duration.ofSeconds(20));
        assertThat(routed.value()).contains("\"department\":\"triage\"").contains("\"rule\":\"fallback-triage\"");
    }

    @Test
    void shouldResolveOnceAndRefuseASecondResolution() {
        // given a routed pothole
        String id = newRequestId();
        String created = createdEvent(id, "pothole");
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        kafka.send("city311.requests", id, created);
        kafka.await("city311.routing", r -> id.equals(r.key()), Duration.ofSeconds(20));

        // when the department resolves it
        web.post().uri(RoutedRequests.WORK + "/{id}/resolve", id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("resolutionCode", "fixed", "note", "Pothole filled"))
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("resolved").jsonPath("$.version").isEqualTo(2);

        // then request-resolved is published with the next sequence, and it has left the queue
        ConsumerRecord<String, String> resolved = kafka.await("city311.routing",
                r -> id.equals(r.key()) && r.value().contains("city311.request.resolved.v1"), Duration.ofSeconds(20));
        EventContract.assertValid(resolved.value());
        assertThat(resolved.value()).contains("\"sequence\":2").contains("\"resolutionCode\":\"fixed\"");
        web.get().uri("/api/departments/transportation/queue").exchange()
                .expectBody().jsonPath("$[?(@.requestId == '" + id + "')]").doesNotExist();

        // and resolving it again is a conflict that changes nothing
        web.post().uri(RoutedRequests.WORK + "/{id}/resolve", id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("resolutionCode", "fixed"))
                .exchange()
                .expectStatus().isEqualTo(409)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void shouldAnswerUnknownWorkAndDepartmentsWith404AndBadBodiesWith400() {
        web.post().uri(RoutedRequests.WORK + "/{id}/resolve", "311-99999999").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("resolutionCode", "fixed")).exchange()
                .expectStatus().isNotFound();
        web.get().uri("/api/departments/no-such-department/queue").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        web.post().uri(RoutedRequests.WORK + "/{id}/resolve", "311-99999999").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("note", "no code")).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("resolutionCode");
    }

    @Test
    void shouldListTheCatalogWithDepartmentsTypesAndAttributes() {
        web.get().uri("/api/catalog/services").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$[?(@.code == 'streetlight-out')].department").isEqualTo("transportation")
                .jsonPath("$[?(@.code == 'streetlight-out')].type").isEqualTo("realtime")
                .jsonPath("$[?(@.code == 'heat-hot-water')].attributes[0].datatype").exists()
                .jsonPath("$[?(@.code == 'heat-hot-water')].attributes[0].required").exists();
    }

    @Test
    void shouldPublishTheCatalogOnceToTheCompactedTopicForRequestService() {
        // when routing-service has started, its catalog is on city311.catalog under the key "catalog"
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        ConsumerRecord<String, String> published = kafka.await("city311.catalog", r -> "catalog".equals(r.key()),
                Duration.ofSeconds(20));
        EventContract.assertValid(published.value());
        assertThat(published.value()).contains("\"code\":\"streetlight-out\"").contains("\"department\":\"transportation\"")
                .as("how departments assign work stays in routing-service").doesNotContain("\"agents\"");

        // and publishing the same catalog again (a restart) adds nothing
        assertThat(catalogPublication.publish(catalog.current())).isFalse();
        assertThat(kafka.readAll("city311.catalog", Duration.ofSeconds(2))).hasSize(1);
    }

    private static String createdEvent(String requestId, String serviceCode) {
        return KafkaTestClient.example(EventContract.example("city311.request.created.v1"), requestId)
                .replaceAll("\"serviceCode\"\\s*:\\s*\"[^\"]+\"", "\"serviceCode\": \"" + serviceCode + "\"");
    }

    /** A data field's value as written in the event (due times without trailing zeros of the fraction). */
    private static String value(String cloudEvent, String field) {
        String raw = cloudEvent.replaceAll("(?s).*\"" + field + "\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        return raw.endsWith("Z") && raw.length() > 11 && raw.charAt(10) == 'T'
                ? java.time.Instant.parse(raw).toString() : raw;
    }

    private static String newRequestId() {
        return "311-" + (10_000_000 + (int) (Math.random() * 89_999_999));
    }
}
