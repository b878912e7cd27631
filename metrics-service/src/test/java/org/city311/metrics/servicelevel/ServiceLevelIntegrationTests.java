package org.city311.metrics.servicelevel;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

import org.city311.contracts.EventContract;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.ServiceIntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The counters an operations dashboard reads, fed by the contract's example events through the real broker. */
@ServiceIntegrationTest
@EmbeddedKafka(partitions = 3, topics = { "city311.requests", "city311.routing", "city311.feedback" })
class ServiceLevelIntegrationTests {

    @Autowired
    WebTestClient web;

    @Autowired
    ReactiveMongoTemplate mongo;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Test
    void shouldCountEachEventOnceWhateverTheOrderAndRedeliveries() {
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        String id = "311-00000077";
        String created = KafkaTestClient.example(EventContract.example("city311.request.created.v1"), id);
        String routed = KafkaTestClient.example(EventContract.example("city311.request.routed.v1"), id);
        String resolved = KafkaTestClient.example(EventContract.example("city311.request.resolved.v1"), id);
        String feedback = KafkaTestClient.example(EventContract.example("city311.feedback.received.v1"), id);

        // when feedback and resolution arrive before creation and routing, and every event arrives twice
        for (int delivery = 0; delivery < 2; delivery++) {
            kafka.send("city311.feedback", id, feedback);
            kafka.send("city311.routing", id, resolved);
            kafka.send("city311.requests", id, created);
            kafka.send("city311.routing", id, routed);
        }

        // then each counter moved by exactly one
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(scrape())
                .contains("city311_feedback_received_total{department=\"transportation\",source=\"survey\"} 1.0"));
        String scrape = scrape();
        assertThat(scrape)
                .contains("city311_requests_created_total{channel=\"mobile\",segment=\"resident\"} 1.0")
                .contains("city311_requests_routed_total{department=\"transportation\"} 1.0")
                .contains("city311_requests_resolved_total{department=\"transportation\"} 1.0");
    }

    @Test
    void shouldCountEachTransferHopAndReopenOnce() {
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        String id = "311-00000079";
        String transferred = KafkaTestClient.example(EventContract.example("city311.request.transferred.v1"), id);
        String reopened = KafkaTestClient.example(EventContract.example("city311.request.reopened.v1"), id);

        // when the hop and the reopen each arrive twice
        for (int delivery = 0; delivery < 2; delivery++) {
            kafka.send("city311.routing", id, transferred);
            kafka.send("city311.routing", id, reopened);
        }

        // then the runaround and the reopen each count once, under the departments involved
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(scrape())
                .contains("city311_requests_transferred_total{from_department=\"transportation\",to_department=\"environmental-protection\"} 1.0")
                .contains("city311_requests_reopened_total{department=\"environmental-protection\"} 1.0"));
    }

    @Test
    void shouldCountFollowUpsOfNegativeFeedbackOnce() {
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        String id = "311-00000080";
        for (int delivery = 0; delivery < 2; delivery++) {
            for (String type : List.of("city311.followup.opened.v1", "city311.followup.closed.v1",
                    "city311.followup.overdue.v1")) {
                kafka.send("city311.feedback", id, KafkaTestClient.example(EventContract.example(type), id));
            }
        }

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(scrape())
                .containsPattern("city311_followups_opened_total\\{department=\"[a-z-]+\",reason=\"[a-z_]+\"} 1.0")
                .containsPattern("city311_followups_closed_total\\{department=\"[a-z-]+\",on_time=\"(true|false)\"} 1.0")
                .containsPattern("city311_followups_missed_total\\{department=\"[a-z-]+\"} 1.0"));
    }

    @Test
    void shouldGiveTheSameFiguresAfterARestart() {
        // given an event counted before the restart
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        String id = "311-00000078";
        kafka.send("city311.routing", id, KafkaTestClient.example(EventContract.example("city311.request.routed.v1"), id)
                .replace("\"transportation\"", "\"parks\""));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(scrape())
                .contains("city311_requests_routed_total{department=\"parks\"} 1.0"));

        // when the counters are rebuilt from the store, as on a restart
        ServiceLevelCounters restarted = new ServiceLevelCounters(new PrometheusRegistry(), mongo);

        // then they show the same figure
        assertThat(restarted.value(ServiceLevelCounters.ROUTED, Map.of("department", "parks"))).isEqualTo(1.0);
    }

    private String scrape() {
        return web.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
    }
}
