package org.city311.feedback;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import org.city311.contracts.EventContract;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.ServiceIntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Feedback taken by staff, against the real Kafka broker (embedded KRaft) and the Mongo-wire store. */
@ServiceIntegrationTest
@EmbeddedKafka(partitions = 3, topics = { "city311.routing", "city311.feedback" })
class FeedbackIntegrationTests {

    @Autowired
    WebTestClient web;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Test
    void shouldPublishPhoneFeedbackWithTheDepartmentThatResolvedTheRequest() {
        // given a request routed to and resolved by Transportation (the resolution arrives first, then a stale routing)
        String id = "311-" + (10_000_000 + (int) (Math.random() * 89_999_999));
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        kafka.send("city311.routing", id, KafkaTestClient.example(EventContract.example("city311.request.resolved.v1"), id));
        kafka.send("city311.routing", id, KafkaTestClient.example(EventContract.example("city311.request.routed.v1"), id)
                .replace("\"transportation\"", "\"triage\""));

        // when staff enter what the resident said on the phone
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> web.post().uri("/api/feedback")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("requestId", id, "satisfaction", 4, "source", "phone", "resolved", true,
                        "comment", "Fixed fast <b>thanks</b>"))
                .exchange()
                .expectStatus().isCreated());

        // then feedback-received names the department of the newest routing event, valid against the contract
        ConsumerRecord<String, String> received = kafka.await("city311.feedback", r -> id.equals(r.key()),
                Duration.ofSeconds(20));
        EventContract.assertValid(received.value());
        assertThat(received.value()).contains("\"department\":\"transportation\"").contains("\"satisfaction\":4")
                .contains("\"source\":\"phone\"");
    }

    @Test
    void shouldRefuseFeedbackForUnknownRequestsAndOutOfRangeRatings() {
        web.post().uri("/api/feedback").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("requestId", "311-99999999", "satisfaction", 3, "source", "phone"))
                .exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);

        web.post().uri("/api/feedback").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("requestId", "311-00000001", "satisfaction", 7, "source", "pigeon"))
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.errors[?(@.field == 'satisfaction')]").exists()
                .jsonPath("$.errors[?(@.field == 'source')]").exists();
    }
}
