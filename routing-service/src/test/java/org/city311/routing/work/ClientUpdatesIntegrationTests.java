package org.city311.routing.work;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import org.city311.contracts.EventContract;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.ServiceIntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an Open311 client's FIXED or CLOSED does to the work, as request-service publishes it: a trusted integration's
 * resolves, any other client's is the customer's word (closes a resolved request, flags open work).
 */
@ServiceIntegrationTest
class ClientUpdatesIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    WebTestClient web;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Test
    void shouldResolveWithCodeFixedAsTheClientWhenATrustedIntegrationSaysFixed() {
        // given a routed pothole the department has accepted and put on hold
        String id = RoutedRequests.routed(brokers, "pothole");
        act(id, "accept", Map.of("agent", "m.rivera"));
        act(id, "hold", Map.of("reason", "Waiting for asphalt"));

        // when the city's own FixMyStreet says it is fixed
        send(id, clientUpdate(id, "City FixMyStreet", true, "FIXED", "Filled by the night crew"));

        // then the request is resolved with code fixed and the client's text, recorded as that client
        await().atMost(WAIT).untilAsserted(() -> work(id).jsonPath("$.status").isEqualTo("resolved"));
        work(id).jsonPath("$.resolution.code").isEqualTo("fixed")
                .jsonPath("$.resolution.note").isEqualTo("Filled by the night crew")
                .jsonPath("$.version").isEqualTo(4);
        ConsumerRecord<String, String> resolved = routingEvent(id, "city311.request.resolved.v1");
        EventContract.assertValid(resolved.value());
        assertThat(resolved.value()).contains("\"actedby\":\"open311:City FixMyStreet\"").contains("\"resolutionCode\":\"fixed\"");
    }

    @Test
    void shouldCloseAResolvedRequestWhenAnotherClientSaysItIsFixed() {
        // given a pothole the department resolved
        String id = RoutedRequests.routed(brokers, "pothole");
        act(id, "resolve", Map.of("resolutionCode", "fixed", "note", "Patched"));

        // when the resident's app (not a trusted integration) says it is fixed
        send(id, clientUpdate(id, "Neighbourhood App", false, "FIXED", "Yes, all good now"));

        // then it is closed, as a resident's confirmation closes it, by that client
        await().atMost(WAIT).untilAsserted(() -> work(id).jsonPath("$.status").isEqualTo("closed"));
        ConsumerRecord<String, String> closed = routingEvent(id, "city311.request.closed.v1");
        EventContract.assertValid(closed.value());
        assertThat(closed.value()).contains("\"actedby\":\"open311:Neighbourhood App\"")
                .contains("\"reason\":\"The customer confirmed it is resolved (through Neighbourhood App)\"");
    }

    @Test
    void shouldFlagOpenWorkWithoutClosingItWhenAnotherClientSaysItIsFixed() {
        // given a street light the department is working on
        String id = RoutedRequests.routed(brokers, "streetlight-out");
        act(id, "accept", Map.of("agent", "m.rivera"));

        // when the resident's app says it is closed
        send(id, clientUpdate(id, "Neighbourhood App", false, "CLOSED", "The lamp works again"));

        // then the work keeps its status, and the department's queue shows the customer's word and which client
        await().atMost(WAIT).untilAsserted(() -> work(id).jsonPath("$.customerReportsFixed.client")
                .isEqualTo("Neighbourhood App"));
        work(id).jsonPath("$.status").isEqualTo("in_progress").jsonPath("$.version").isEqualTo(3)
                .jsonPath("$.customerReportsFixed.at").isEqualTo("2026-11-23T16:40:05.210Z");
        web.get().uri("/api/departments/transportation/queue").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$[?(@.requestId == '" + id + "')].customerReportsFixed.client")
                .isEqualTo("Neighbourhood App")
                .jsonPath("$[?(@.requestId == '" + id + "')].status").isEqualTo("in_progress");
        // and the timeline gets an internal note for the department (the resident's words are public already)
        ConsumerRecord<String, String> note = routingEvent(id, "city311.request.updated.v1");
        EventContract.assertValid(note.value());
        assertThat(note.value()).contains("\"visibility\":\"internal\"").contains("\"status\":\"in_progress\"")
                .contains("\"actedby\":\"open311:Neighbourhood App\"").contains("Neighbourhood App");

        // when the department resolves it, the flag is answered
        act(id, "resolve", Map.of("resolutionCode", "fixed"));
        work(id).jsonPath("$.customerReportsFixed").doesNotExist();
    }

    @Test
    void shouldChangeNothingWhenAClientUpdateIsDeliveredAgainOrSaysNothingAboutTheWork() {
        // given a request a trusted integration resolved, and the department reopened since
        String id = RoutedRequests.routed(brokers, "pothole");
        String resolvedByClient = clientUpdate(id, "City FixMyStreet", true, "FIXED", "Done");
        send(id, resolvedByClient);
        await().atMost(WAIT).untilAsserted(() -> work(id).jsonPath("$.status").isEqualTo("resolved"));
        act(id, "reopen", Map.of("reason", "The hole is back"));

        // when that update is delivered again, a customer's word that it is fixed arrives twice, a client says OPEN,
        // and then (to know the others were read) the trusted integration says it is fixed again
        String customer = clientUpdate(id, "Neighbourhood App", false, "FIXED", "Looks fine to me");
        send(id, resolvedByClient);
        send(id, customer);
        send(id, customer);
        send(id, clientUpdate(id, "City FixMyStreet", true, "OPEN", "Inspector on the way"));
        send(id, clientUpdate(id, "City FixMyStreet", true, "FIXED", "Re-filled"));

        // then the redelivered update resolved nothing, the customer's word flagged it once, OPEN did nothing
        await().atMost(WAIT).untilAsserted(() -> work(id).jsonPath("$.status").isEqualTo("resolved")
                .jsonPath("$.resolution.note").isEqualTo("Re-filled"));
        work(id).jsonPath("$.version").isEqualTo(5);
        new KafkaTestClient(brokers).await("city311.routing",
                record -> id.equals(record.key()) && record.value().contains("\"sequence\":5"), WAIT);
        assertThat(routingEvents(id)).extracting(record -> type(record.value())).containsExactly(
                "city311.request.routed.v1", "city311.request.resolved.v1", "city311.request.reopened.v1",
                "city311.request.updated.v1", "city311.request.resolved.v1");
    }

    @Test
    void shouldSetAsideAnUpdateForARequestNotRoutedYetSoThatReplayingAppliesIt() {
        // given a request whose request-created has not been routed here (it went to the dead-letter topic)
        String id = "311-" + (10_000_000 + (int) (Math.random() * 89_999_999));
        String update = clientUpdate(id, "Neighbourhood App", false, "FIXED", "Fixed already");

        // when the client's update arrives, it waits in the dead-letter topic after the retries
        send(id, update);
        ConsumerRecord<String, String> deadLetter = new KafkaTestClient(brokers).await(
                "city311.requests.dlq.routing-service", record -> id.equals(record.key()), Duration.ofSeconds(40));
        assertThat(new String(deadLetter.headers().lastHeader("x-exception-message").value())).contains("no work here");

        // then replaying the topic in order (the request, then the update) routes it and flags it
        new KafkaTestClient(brokers).send("city311.requests", id,
                KafkaTestClient.example(EventContract.example("city311.request.created.v1"), id));
        new KafkaTestClient(brokers).send("city311.requests", id, deadLetter.value());
        await().atMost(WAIT).untilAsserted(() -> work(id).jsonPath("$.customerReportsFixed.client")
                .isEqualTo("Neighbourhood App"));
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    /** request-service's event for a client's update, at the contract example's time, with a fresh event id. */
    private static String clientUpdate(String id, String client, boolean trusted, String status, String text) {
        return KafkaTestClient.example(EventContract.example("city311.request.client-updated.v1"), id)
                .replace("open311:FixMyStreet", "open311:" + client)
                .replace("\"client\": \"FixMyStreet\"", "\"client\": \"" + client + "\"")
                .replace("\"trusted\": false", "\"trusted\": " + trusted)
                .replace("\"status\": \"FIXED\"", "\"status\": \"" + status + "\"")
                .replace("The hole has been filled in, thank you.", text)
                .replace("fms-88412", "fms-" + UUID.randomUUID().toString().substring(0, 8));
    }

    private void send(String id, String cloudEvent) {
        EventContract.assertValid(cloudEvent);
        new KafkaTestClient(brokers).send("city311.requests", id, cloudEvent);
    }

    /** The first event of that type about the request on the routing topic, once the outbox relay published it. */
    private ConsumerRecord<String, String> routingEvent(String id, String type) {
        return new KafkaTestClient(brokers).await("city311.routing",
                record -> id.equals(record.key()) && record.value().contains("\"type\":\"" + type + "\""), WAIT);
    }

    private List<ConsumerRecord<String, String>> routingEvents(String id) {
        return new KafkaTestClient(brokers).readAll("city311.routing", Duration.ofSeconds(2)).stream()
                .filter(record -> id.equals(record.key())).toList();
    }

    private WebTestClient.BodyContentSpec work(String id) {
        return web.get().uri(RoutedRequests.WORK + "/{id}", id).exchange().expectStatus().isOk().expectBody();
    }

    private void act(String id, String action, Map<String, Object> body) {
        web.post().uri(RoutedRequests.WORK + "/{id}/{action}", id, action).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().expectStatus().isOk();
    }

    private static String type(String cloudEvent) {
        return cloudEvent.replaceAll("(?s).*\"type\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    }
}
