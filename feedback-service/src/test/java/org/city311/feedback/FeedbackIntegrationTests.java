package org.city311.feedback;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.city311.contracts.EventContract;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.security.Role;
import org.city311.platform.test.TestTokens;
import org.city311.platform.test.ServiceIntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Feedback taken by staff (phone, comment cards), audits, and the follow-up of negative feedback, against the real
 * Kafka broker (embedded KRaft) and the Mongo-wire store.
 */
@ServiceIntegrationTest
class FeedbackIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    WebTestClient web;

    @Autowired
    Clock clock;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Test
    void shouldPublishPhoneFeedbackWithTheDepartmentThatResolvedTheRequest() {
        // given a request routed to and resolved by Transportation (the resolution arrives first, then a stale routing)
        String id = Events.newRequestId();
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        kafka.send("city311.routing", id, KafkaTestClient.example(EventContract.example("city311.request.resolved.v1"), id));
        kafka.send("city311.routing", id, KafkaTestClient.example(EventContract.example("city311.request.routed.v1"), id)
                .replace("\"transportation\"", "\"triage\""));

        // when staff enter what the resident said on the phone
        await().atMost(WAIT).untilAsserted(() -> web.post().uri("/api/feedback")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("requestId", id, "satisfaction", 4, "source", "phone", "resolved", true,
                        "comment", "Fixed fast <b>thanks</b>"))
                .exchange()
                .expectStatus().isCreated());

        // then feedback-received names the department of the newest routing event, valid against the contract
        ConsumerRecord<String, String> received = kafka.await("city311.feedback", r -> id.equals(r.key()), WAIT);
        EventContract.assertValid(received.value());
        assertThat(received.value()).contains("\"department\":\"transportation\"").contains("\"satisfaction\":4")
                .contains("\"source\":\"phone\"").contains("\"resolutionSequence\":2").doesNotContain("thanks");
    }

    @Test
    void shouldStoreARetriedSubmissionWithTheSameIdempotencyKeyOnce() {
        // given a routed and resolved request
        String id = Events.newRequestId();
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        kafka.send("city311.routing", id, KafkaTestClient.example(EventContract.example("city311.request.resolved.v1"), id));
        Map<String, Object> body = Map.of("requestId", id, "satisfaction", 3, "source", "comment_card");

        // when the counter clerk's submission is sent (again until the request is known here), then once more
        JsonNode[] firstAnswer = new JsonNode[1];
        await().atMost(WAIT).untilAsserted(() -> firstAnswer[0] = JSON.readTree(web.post().uri("/api/feedback")
                .header("Idempotency-Key", "card-0042").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isCreated().expectBody().returnResult().getResponseBody()));
        JsonNode first = firstAnswer[0];
        JsonNode second = JSON.readTree(web.post().uri("/api/feedback").header("Idempotency-Key", "card-0042")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isCreated().expectBody().returnResult().getResponseBody());

        // then both answers are the same feedback, published once
        assertThat(second.path("id").asString()).isEqualTo(first.path("id").asString());
        kafka.await("city311.feedback", r -> id.equals(r.key()), WAIT);
        assertThat(kafka.readAll("city311.feedback", Duration.ofSeconds(2)))
                .filteredOn(r -> id.equals(r.key()) && r.value().contains("city311.feedback.received.v1")).hasSize(1);
    }

    @Test
    void shouldRefuseFeedbackForUnknownRequestsAndOutOfRangeRatings() {
        web.post().uri("/api/feedback").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("requestId", "311-99999999", "satisfaction", 3, "source", "phone"))
                .exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);

        web.post().uri("/api/feedback").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("requestId", "311-00000001", "satisfaction", 7, "source", "pigeon",
                        "comment", "x".repeat(2001)))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.errors[?(@.field == 'satisfaction')]").exists()
                .jsonPath("$.errors[?(@.field == 'source')]").exists()
                .jsonPath("$.errors[?(@.field == 'comment')]").exists();
    }

    @Test
    void shouldOpenAFollowUpForADissatisfiedCallerThatTheDepartmentAcknowledgesAndCloses() {
        // given a request of Transportation, resolved
        String id = Events.newRequestId();
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        kafka.send("city311.routing", id, Events.example(EventContract.REQUEST_ROUTED, id, Map.of()));
        kafka.send("city311.routing", id, Events.example(EventContract.REQUEST_RESOLVED, id, Map.of()));

        // when a caller tells staff they are very dissatisfied
        JsonNode feedback = postUntilKnown("/api/feedback", Map.of("requestId", id, "satisfaction", 1, "source",
                "phone", "resolved", true, "comment", "Nobody called me back."));

        // then a follow-up is open for Transportation, announced with its due date
        String followUpId = feedback.get("followUpId").asString();
        ConsumerRecord<String, String> opened = kafka.await("city311.feedback", r -> id.equals(r.key())
                && Events.type(r.value()).equals("city311.followup.opened.v1"), WAIT);
        EventContract.assertValid(opened.value());
        JsonNode openedData = Events.data(opened.value());
        assertThat(openedData.get("followUpId").asString()).isEqualTo(followUpId);
        assertThat(openedData.get("reason").asString()).isEqualTo("low_satisfaction");
        assertThat(Instant.parse(openedData.get("dueAt").asString())).isAfter(clock.instant().plus(Duration.ofDays(5)));
        web.get().uri("/api/follow-ups?department=transportation").header(HttpHeaders.AUTHORIZATION, TestTokens.supervisor("transportation")).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$[?(@.id == '" + followUpId + "')].status").isEqualTo("open")
                .jsonPath("$[?(@.id == '" + followUpId + "')].feedback.comment").isEqualTo("Nobody called me back.");

        // when the department acknowledges it, then closes it with what it did and why it had gone wrong
        web.post().uri("/api/follow-ups/{id}/acknowledge", followUpId).header(HttpHeaders.AUTHORIZATION, TestTokens.supervisor("transportation")).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("by", "m.rivera")).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("acknowledged");
        web.post().uri("/api/follow-ups/{id}/close", followUpId).header(HttpHeaders.AUTHORIZATION, TestTokens.supervisor("transportation")).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("rootCause", "communication", "action",
                        "Called back; added call-backs to the crew's close-out checklist."))
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("closed").jsonPath("$.onTime").isEqualTo(true);

        // then the closing is published for metrics, on time; it leaves the open list; closing again is a 409
        ConsumerRecord<String, String> closed = kafka.await("city311.feedback", r -> id.equals(r.key())
                && Events.type(r.value()).equals("city311.followup.closed.v1"), WAIT);
        EventContract.assertValid(closed.value());
        assertThat(Events.data(closed.value()).get("rootCause").asString()).isEqualTo("communication");
        assertThat(Events.data(closed.value()).get("onTime").asBoolean()).isTrue();
        assertThat(closed.value()).doesNotContain("Nobody called me back");
        web.get().uri("/api/follow-ups?department=transportation").header(HttpHeaders.AUTHORIZATION, TestTokens.supervisor("transportation")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$[?(@.id == '" + followUpId + "')]").doesNotExist();
        web.get().uri("/api/follow-ups?department=transportation&status=closed").header(HttpHeaders.AUTHORIZATION, TestTokens.supervisor("transportation")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$[?(@.id == '" + followUpId + "')].rootCause").isEqualTo("communication");
        web.post().uri("/api/follow-ups/{id}/close", followUpId).header(HttpHeaders.AUTHORIZATION, TestTokens.supervisor("transportation")).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("rootCause", "other", "action", "again")).exchange()
                .expectStatus().isEqualTo(409)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void shouldPublishAuditsWithTheirScoresApartFromCustomersFeedback() {
        // given an internal request filed by Parks, resolved by Transportation, whose survey went to Parks' staff
        String id = Events.newRequestId();
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        kafka.send("city311.requests", id, Events.example(EventContract.REQUEST_CREATED, id, Map.of("channel",
                "internal", "segment", "internal", "requestingDepartment", "parks")));
        kafka.send("city311.routing", id, Events.example(EventContract.REQUEST_ROUTED, id, Map.of()));
        kafka.send("city311.routing", id, Events.example(EventContract.REQUEST_RESOLVED, id, Map.of()));
        await().atMost(WAIT).untilAsserted(() -> web.get().uri("/api/surveys?requestId=" + id).exchange()
                .expectBody().jsonPath("$[0].channel").isEqualTo("internal").jsonPath("$[0].status").isEqualTo("sent"));

        // when a secret shopper scores its handling poorly
        await().atMost(WAIT).untilAsserted(() -> web.post().uri("/api/audits").header(HttpHeaders.AUTHORIZATION, TestTokens.only(Role.AUDITOR)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("requestId", id, "courtesy", 2, "routingAccuracy", 3, "timeliness", 2,
                        "resolutionQuality", 2, "auditor", "qa-team-3"))
                .exchange().expectStatus().isCreated());

        // then feedback-received says audit, with the scores and their rounded mean, and the customer segment
        ConsumerRecord<String, String> audit = kafka.await("city311.feedback", r -> id.equals(r.key())
                && Events.type(r.value()).equals("city311.feedback.received.v1"), WAIT);
        EventContract.assertValid(audit.value());
        JsonNode data = Events.data(audit.value());
        assertThat(data.get("source").asString()).isEqualTo("audit");
        assertThat(data.get("satisfaction").asInt()).isEqualTo(2);
        assertThat(data.get("scores").get("routingAccuracy").asInt()).isEqualTo(3);
        assertThat(data.get("segment").asString()).isEqualTo("internal");
        assertThat(data.get("channel").asString()).isEqualTo("internal");
        assertThat(data.has("resolved")).isFalse();
        assertThat(data.get("resolutionSequence").asLong()).isEqualTo(2);
        assertThat(audit.value()).doesNotContain("qa-team-3");
        // and, below the threshold, a follow-up
        ConsumerRecord<String, String> opened = kafka.await("city311.feedback", r -> id.equals(r.key())
                && Events.type(r.value()).equals("city311.followup.opened.v1"), WAIT);
        assertThat(Events.data(opened.value()).get("reason").asString()).isEqualTo("low_audit");

        // when a comment card for the same request arrives
        postUntilKnown("/api/feedback", Map.of("requestId", id, "satisfaction", 4, "source", "comment_card"));

        // then it is published as a comment card, apart from the audit
        ConsumerRecord<String, String> card = kafka.await("city311.feedback", r -> id.equals(r.key())
                && r.value().contains("\"source\":\"comment_card\""), WAIT);
        EventContract.assertValid(card.value());
        assertThat(card.value()).doesNotContain("scores");
    }

    @Test
    void shouldRefuseBadAuditsAndFollowUpClosings() {
        web.post().uri("/api/audits").header(HttpHeaders.AUTHORIZATION, TestTokens.only(Role.AUDITOR)).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("requestId", "311-00000001", "courtesy", 0, "routingAccuracy", 6, "timeliness", 3))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.errors[?(@.field == 'courtesy')]").exists()
                .jsonPath("$.errors[?(@.field == 'routingAccuracy')]").exists()
                .jsonPath("$.errors[?(@.field == 'resolutionQuality')]").exists();
        web.get().uri("/api/follow-ups").header(HttpHeaders.AUTHORIZATION, TestTokens.supervisor("parks")).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("department");
        web.get().uri("/api/follow-ups?department=parks&status=forgotten").header(HttpHeaders.AUTHORIZATION, TestTokens.supervisor("parks")).exchange().expectStatus().isBadRequest();
        web.post().uri("/api/follow-ups/{id}/close", "no-such-follow-up").header(HttpHeaders.AUTHORIZATION, TestTokens.supervisor("parks")).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("rootCause", "other", "action", "something")).exchange()
                .expectStatus().isNotFound();
        Map<String, Object> badClosing = new HashMap<>();
        badClosing.put("rootCause", "bad luck");
        badClosing.put("action", "y".repeat(2001));
        web.post().uri("/api/follow-ups/{id}/close", "no-such-follow-up").header(HttpHeaders.AUTHORIZATION, TestTokens.supervisor("parks")).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(badClosing).exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.errors[?(@.field == 'rootCause')]").exists()
                .jsonPath("$.errors[?(@.field == 'action')]").exists();
    }

    /** Posts until the request's routing has reached feedback-service, and answers the created feedback. */
    private JsonNode postUntilKnown(String path, Map<String, Object> body) {
        JsonNode[] created = new JsonNode[1];
        await().atMost(WAIT).untilAsserted(() -> {
            byte[] response = web.post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                    .exchange().expectStatus().isCreated().expectBody().returnResult().getResponseBody();
            created[0] = JSON.readTree(response);
        });
        return created[0];
    }
}
