package org.city311.request.status;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.city311.contracts.EventContract;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.request.CatalogFixture;
import org.city311.request.catalog.ServiceCatalogCopy;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Staff see when a request's work is due and where it lies, as routing-service last said, however its events
 * arrive: late, twice, or after newer ones.
 */
@ServiceIntegrationTest
class DueTimesIntegrationTests {

    static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    WebTestClient web;

    @Autowired
    ServiceCatalogCopy catalog;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    KafkaTestClient kafka;

    @BeforeEach
    void catalogPublishedByRoutingService() {
        CatalogFixture.published(catalog, brokers);
        kafka = new KafkaTestClient(brokers);
    }

    @Test
    void shouldShowTheDueTimesAndDistrictOfTheNewestRoutingEventsOnTheRequestAndInSearch() {
        // given a request routed to Transportation, due by the published standard
        String id = file();
        String routed = event(EventContract.REQUEST_ROUTED, id);
        kafka.send("city311.routing", id, routed);
        await().atMost(WAIT).untilAsserted(() -> assertThat(get(id).firstActionDueAt())
                .isEqualTo("2026-11-25T22:00:00Z"));
        View view = get(id);
        assertThat(view.resolutionDueAt()).isEqualTo("2026-12-08T22:00:00Z");
        assertThat(view.department()).isEqualTo("transportation");
        assertThat(view.district()).isEqualTo("manhattan");

        // when a hold ends and moves the resolution later, and the request is then transferred
        kafka.send("city311.routing", id, event(EventContract.REQUEST_RESUMED, id)
                .replace("\"sequence\": 5", "\"sequence\": 5, \"resolutionDueAt\": \"2026-12-10T22:00:00Z\""));
        kafka.send("city311.routing", id, event(EventContract.REQUEST_TRANSFERRED, id));

        // then staff see the moved resolution, and the department it is with now, which keeps its due times
        await().atMost(WAIT).untilAsserted(() -> assertThat(get(id).department())
                .isEqualTo("environmental-protection"));
        assertThat(get(id).resolutionDueAt()).isEqualTo("2026-12-10T22:00:00Z");
        assertThat(get(id).firstActionDueAt()).isEqualTo("2026-11-25T22:00:00Z");
        // and so does a search
        web.get().uri("/api/requests?serviceCode=pothole&limit=200").exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items[?(@.id == '" + id + "')].resolutionDueAt").isEqualTo("2026-12-10T22:00:00Z")
                .jsonPath("$.items[?(@.id == '" + id + "')].firstActionDueAt").isEqualTo("2026-11-25T22:00:00Z")
                .jsonPath("$.items[?(@.id == '" + id + "')].district").isEqualTo("manhattan");
    }

    @Test
    void shouldKeepTheNewestDueTimesWhenAnOlderEventArrivesLateOrTwice() {
        // given a request whose resume (sequence 5, moving the resolution) arrives before its routing (sequence 1)
        String id = file();
        kafka.send("city311.routing", id, event(EventContract.REQUEST_RESUMED, id)
                .replace("\"sequence\": 5", "\"sequence\": 5, \"resolutionDueAt\": \"2026-12-10T22:00:00Z\""));
        await().atMost(WAIT).untilAsserted(() -> assertThat(get(id).resolutionDueAt())
                .isEqualTo("2026-12-10T22:00:00Z"));

        // when the routing arrives late, and then once more (a redelivery)
        String routed = event(EventContract.REQUEST_ROUTED, id);
        kafka.send("city311.routing", id, routed);
        await().atMost(WAIT).untilAsserted(() -> assertThat(get(id).firstActionDueAt())
                .isEqualTo("2026-11-25T22:00:00Z"));
        kafka.send("city311.routing", id, routed);
        // (a marker behind the redelivery, same partition: once it shows, the redelivery was read)
        kafka.send("city311.routing", id, event(EventContract.REQUEST_UPDATED, id)
                .replace("\"sequence\": 3", "\"sequence\": 7"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(get(id).history()).extracting(Entry::kind)
                .contains("updated"));

        // then the late routing gave the first action's due time it alone knew, not its older resolution due time,
        // nor its status; and it is on the timeline once
        View view = get(id);
        assertThat(view.firstActionDueAt()).isEqualTo("2026-11-25T22:00:00Z");
        assertThat(view.resolutionDueAt()).isEqualTo("2026-12-10T22:00:00Z");
        assertThat(view.status()).isEqualTo("in_progress");
        assertThat(view.district()).isEqualTo("manhattan");
        assertThat(view.history()).extracting(Entry::kind).containsOnlyOnce("routed");
    }

    private String event(String type, String requestId) {
        return KafkaTestClient.example(EventContract.example(type), requestId);
    }

    private String file() {
        return web.post().uri("/api/requests").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("serviceCode", "pothole", "channel", "phone",
                        "location", Map.of("address", "5 Broadway"), "attributes", Map.of("size", "large")))
                .exchange().expectStatus().isCreated()
                .expectBody(View.class).returnResult().getResponseBody().id();
    }

    private View get(String id) {
        return web.get().uri("/api/requests/{id}", id).exchange().expectStatus().isOk()
                .expectBody(View.class).returnResult().getResponseBody();
    }

    /** The request as a client reads it. */
    record View(String id, String status, String department, String district, String firstActionDueAt,
            String resolutionDueAt, List<Entry> history) {
    }

    record Entry(String kind, String status) {
    }
}
