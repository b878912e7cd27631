package org.city311.request.track;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.city311.contracts.EventContract;
import org.city311.platform.security.Role;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.platform.test.TestTokens;
import org.city311.request.CatalogFixture;
import org.city311.request.catalog.ServiceCatalogCopy;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Public tracking as the console's public pages read it: under their own identity, from behind the console (a
 * trusted proxy that forwards each visitor's address).
 */
@ServiceIntegrationTest
@TestPropertySource(properties = { "city311.test.context=track", "city311.track.rate-limit.per-address=3",
        "city311.track.rate-limit.period=1h", "city311.web.trusted-proxies=127.0.0.1,::1" })
class TrackIntegrationTests {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final String CONSOLE = TestTokens.bearer("console", null, Role.PUBLIC_READER);

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
    @SuppressWarnings("unchecked")
    void shouldShowThePublicStatusAndTimelineWithoutPersonalDataInternalNotesOrStaffNames() {
        // given a resident's pothole, routed, accepted by a named agent, put on hold for an internal reason, with a
        // second caller added and the resident's feedback on it
        String id = file(pothole());
        send(EventContract.REQUEST_ROUTED, id, "");
        send(EventContract.REQUEST_ACCEPTED, id, "\"actedby\": \"agent.jones\",");
        kafka.send("city311.routing", id, KafkaTestClient.example(EventContract.example(
                EventContract.REQUEST_PUT_ON_HOLD), id).replaceFirst("\"visibility\": \"public\"",
                "\"visibility\": \"internal\""));
        web.post().uri("/api/requests/{id}/reporters", id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("resident", Map.of("lastName", "Lopez", "email", "maria@example.org",
                        "consentToContact", true)))
                .exchange().expectStatus().isCreated();
        await().atMost(WAIT).until(() -> "on_hold".equals(web.get().uri("/api/requests/{id}", id).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody().get("status")));

        // when a visitor tracks it through the console
        Map<String, Object> tracked = track(id, "198.51.100.1").expectStatus().isOk().expectBody(Map.class)
                .returnResult().getResponseBody();

        // then they see the service, the department and every public step, in the city's public words
        assertThat(tracked).containsEntry("id", id).containsEntry("status", "on_hold")
                .containsEntry("serviceCode", "pothole").containsEntry("serviceName", "Pothole")
                .containsEntry("department", "transportation")
                .containsEntry("departmentName", "Department of Transportation")
                .containsKeys("submittedAt", "updatedAt");
        List<Map<String, Object>> timeline = (List<Map<String, Object>>) tracked.get("timeline");
        assertThat(timeline).extracting(step -> step.get("kind"))
                .containsExactly("submitted", "routed", "accepted", "put-on-hold");
        // (routing's rule is staff's business: the public reads where the request went, by the department's name)
        assertThat(timeline.get(1)).containsEntry("note", "Sent to Department of Transportation");
        assertThat(timeline.get(2)).containsEntry("note", "Accepted by Department of Transportation");
        assertThat(timeline.get(3)).containsEntry("note", "On hold").containsEntry("status", "on_hold");
        // and nothing personal, internal or about staff
        String body = tracked.toString();
        assertThat(body).doesNotContain("Okafor").doesNotContain("555-0188").doesNotContain("tunde@")
                .doesNotContain("Lopez").doesNotContain("maria@").doesNotContain("staff.").doesNotContain("jones").doesNotContain("rivera")
                .doesNotContain("Another caller").doesNotContain("Waiting for").doesNotContain("filedBy")
                .doesNotContain("resident").doesNotContain("rule:");
    }

    @Test
    void shouldAnswer404ForUnknownNumbersAndInternalRequestsAlike() {
        Map<String, Object> internal = new HashMap<>(pothole());
        internal.put("channel", "internal");
        internal.put("requestingDepartment", "housing");
        String asked = file(internal);

        for (String id : List.of(asked, "311-99999999", "x".repeat(500))) {
            track(id, "198.51.100.2").expectStatus().isNotFound()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        }
        // people's roles read it too
        web.get().uri("/api/track/{id}", file(pothole())).header(HttpHeaders.AUTHORIZATION,
                TestTokens.only(Role.OPS)).header("X-Forwarded-For", "198.51.100.3").exchange()
                .expectStatus().isOk();
    }

    @Test
    void shouldLimitEachVisitorBehindTheConsoleApart() {
        // given a request, and a visitor who tracks it three times (the limit here) through the console
        String id = file(pothole());
        for (int i = 0; i < 3; i++) {
            track(id, "203.0.113.10").expectStatus().isOk();
        }

        // when they try a fourth time, even naming another address left of the console's own entry
        track(id, "203.0.113.10").expectStatus().isEqualTo(429)
                .expectHeader().valueMatches(HttpHeaders.RETRY_AFTER, "\\d+")
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(429);
        track(id, "192.0.2.77, 203.0.113.10").expectStatus().isEqualTo(429);

        // then they wait, while another visitor behind the same console is served
        track(id, "203.0.113.11").expectStatus().isOk();
        // and Open311 and the staff API do not count against the tracking limit, nor it against theirs
        web.get().uri("/api/requests/{id}", id).header("X-Forwarded-For", "203.0.113.10").exchange()
                .expectStatus().isOk();
    }

    private WebTestClient.ResponseSpec track(String id, String forwardedFor) {
        return web.get().uri("/api/track/{id}", id).header(HttpHeaders.AUTHORIZATION, CONSOLE)
                .header("X-Forwarded-For", forwardedFor).exchange();
    }

    private void send(String type, String id, String envelopeExtra) {
        kafka.send("city311.routing", id, KafkaTestClient.example(EventContract.example(type), id)
                .replace("\"datacontenttype\": \"application/json\",",
                        "\"datacontenttype\": \"application/json\", " + envelopeExtra));
    }

    private String file(Map<String, Object> body) {
        return web.post().uri("/api/requests").header(HttpHeaders.AUTHORIZATION, TestTokens.staff("staff.amy"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();
    }

    private static Map<String, Object> pothole() {
        return Map.of("serviceCode", "pothole", "channel", "phone", "description", "Deep pothole by the bus stop",
                "location", Map.of("address", "12 Canal St"), "attributes", Map.of("size", "large"),
                "resident", Map.of("firstName", "Tunde", "lastName", "Okafor", "phone", "212-555-0188",
                        "email", "tunde@example.net", "consentToContact", true));
    }
}
