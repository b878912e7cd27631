package org.city311.request.reporters;

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
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** "This is the same": a caller added to an existing request, against the real broker and store. */
@ServiceIntegrationTest
class AdditionalReportersIntegrationTests {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final String AMY = TestTokens.staff("staff.amy");
    static final String BOB = TestTokens.staff("staff.bob");

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
    void shouldAddTheCallerOnceOnADoubleClickCountThemAndKeepTheirDetailsForThoseWhoSeeResidents() {
        // given a pothole Amy filed for Tunde
        String id = file(AMY, pothole());

        // when Bob takes a second call about it and clicks "this is the same" twice
        Map<String, Object> maria = maria();
        Map<String, Object> first = add(id, BOB, maria, "k-1").expectStatus().isCreated()
                .expectHeader().valueEquals("Idempotent-Replayed", "false")
                .expectHeader().valueEquals(HttpHeaders.LOCATION, "/api/requests/" + id)
                .expectBody(Map.class).returnResult().getResponseBody();
        add(id, BOB, maria, "k-1").expectStatus().isCreated()
                .expectHeader().valueEquals("Idempotent-Replayed", "true");

        // then the request has two reporters, the second with her own details and consent, added once
        assertThat(first).containsEntry("reporterCount", 2);
        Map<String, Object> view = get(id, AMY);
        assertThat(view).containsEntry("reporterCount", 2);
        assertThat(reporters(view)).singleElement().satisfies(reporter -> {
            assertThat(reporter).containsEntry("note", "Saw a cyclist fall in it").containsEntry("addedBy", "staff.bob");
            assertThat((Map<String, Object>) reporter.get("resident")).containsEntry("lastName", "Lopez")
                    .containsEntry("email", "maria@example.org").containsEntry("consentToContact", true);
        });
        // the first resident's details are still theirs
        assertThat((Map<String, Object>) view.get("resident")).containsEntry("lastName", "Okafor");
        // and the timeline says another caller reported it, for staff only, naming no one
        List<Map<String, Object>> history = (List<Map<String, Object>>) view.get("history");
        assertThat(history).filteredOn(entry -> "reporter-added".equals(entry.get("kind"))).singleElement()
                .satisfies(entry -> assertThat(entry).containsEntry("note", "Another caller reported this")
                        .containsEntry("visibility", "internal"));
        assertThat(history.toString()).doesNotContain("Lopez").doesNotContain("maria@").doesNotContain("cyclist");
        web.get().uri("/api/requests/{id}/audit", id).header(HttpHeaders.AUTHORIZATION, TestTokens.only(Role.AUDITOR))
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.changes[?(@.kind == 'reporter-added')].by").isEqualTo("staff.bob");

        // and an auditor sees the count, not the callers
        Map<String, Object> audited = get(id, TestTokens.only(Role.AUDITOR));
        assertThat(audited).containsEntry("reporterCount", 2).doesNotContainKey("additionalReporters");
        assertThat(audited.get("resident")).isNull();
        // nor does any event carry her details (none is published for an added caller)
        assertThat(kafka.readAll("city311.requests", Duration.ofSeconds(2)))
                .filteredOn(record -> id.equals(record.key())).isNotEmpty()
                .allSatisfy(record -> assertThat(record.value()).doesNotContain("Lopez").doesNotContain("maria@"));

        // and the same key with another caller is refused, storing nothing
        Map<String, Object> other = new HashMap<>(maria);
        other.put("note", "Another story");
        add(id, BOB, other, "k-1").expectStatus().isEqualTo(422)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("Idempotency-Key");
        assertThat(get(id, AMY)).containsEntry("reporterCount", 2);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldShowTheRequestAmongTheAddersOwnFilingsInSearchAndLive() {
        // given a request Amy filed, to which Bob adds a caller
        String id = file(AMY, pothole());
        add(id, BOB, maria(), null).expectStatus().isCreated();

        // then Bob finds it among his filings, as Amy does among hers
        for (String who : List.of("staff.bob", "staff.amy")) {
            Map<String, Object> page = web.get().uri("/api/requests?filedBy={who}&limit=200", who).exchange()
                    .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
            assertThat((List<Map<String, Object>>) page.get("items")).extracting(item -> item.get("id")).contains(id);
        }
        // and his live stream of his filings shows it
        String shown = web.get().uri("/api/requests/events").header(HttpHeaders.AUTHORIZATION, BOB)
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<Map>>() { }).getResponseBody()
                .filter(event -> "snapshot".equals(event.event()))
                .map(event -> String.valueOf(event.data().get("requestId")))
                .filter(id::equals)
                .next().block(WAIT);
        assertThat(shown).isEqualTo(id);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldGiveTheSurveySenderTheAddressesOfTheAddedCallersWhoConsentedEachOnce() {
        // given Tunde's request, with callers added: Maria (consents), Sam (gave an address, no consent), and one
        // who consents with Tunde's own address
        String id = file(AMY, pothole());
        add(id, BOB, maria(), null).expectStatus().isCreated();
        add(id, BOB, Map.of("resident", Map.of("firstName", "Sam", "email", "sam@example.org",
                "consentToContact", false)), null).expectStatus().isCreated();
        add(id, BOB, Map.of("resident", Map.of("lastName", "Okafor", "email", "TUNDE@example.net"),
                "consentToContact", true), null).expectStatus().isCreated();

        // when the request is resolved
        kafka.send("city311.routing", id, event(EventContract.REQUEST_ROUTED, id));
        kafka.send("city311.routing", id, event(EventContract.REQUEST_RESOLVED, id));
        await().atMost(WAIT).until(() -> "resolved".equals(get(id, AMY).get("status")));

        // then feedback-service's identity reads Tunde's address, and Maria's as an additional recipient
        web.get().uri("/api/requests/{id}/contact", id)
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer("feedback-service", null, Role.SURVEY_SENDER))
                .exchange().expectStatus().isOk()
                .expectBody().json("{\"requestId\":\"" + id + "\",\"consentToContact\":true,"
                        + "\"email\":\"tunde@example.net\",\"additionalRecipients\":[\"maria@example.org\"]}", true);
        assertThat(get(id, AMY)).containsEntry("reporterCount", 4);
    }

    @Test
    void shouldLetAgentsAddCallersOnlyToTheirDepartmentsInternalRequestsAndOnlyToOpenOnes() {
        // given an internal request Housing asked for, and a resident's request
        Map<String, Object> internal = new HashMap<>(pothole());
        internal.put("channel", "internal");
        internal.put("requestingDepartment", "housing");
        internal.remove("resident");
        String housings = file(TestTokens.agent("housing"), internal);
        String residents = file(AMY, pothole());
        Map<String, Object> coworker = Map.of("resident", Map.of("firstName", "Lee", "email", "lee@city.example",
                "consentToContact", true));

        // then a Housing agent adds a coworker to Housing's own, and to nothing else
        add(housings, TestTokens.agent("housing"), coworker, null).expectStatus().isCreated();
        add(housings, TestTokens.supervisor("housing"), coworker, null).expectStatus().isCreated();
        add(housings, TestTokens.agent("transportation"), coworker, null).expectStatus().isForbidden();
        add(residents, TestTokens.agent("housing"), coworker, null).expectStatus().isForbidden()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        add("311-99999999", BOB, coworker, null).expectStatus().isNotFound();

        // and nobody adds a caller to a resolved request, or to a linked duplicate (its parent takes them)
        kafka.send("city311.routing", residents, event(EventContract.REQUEST_ROUTED, residents));
        kafka.send("city311.routing", residents, event(EventContract.REQUEST_RESOLVED, residents));
        await().atMost(WAIT).until(() -> "resolved".equals(get(residents, AMY).get("status")));
        add(residents, BOB, coworker, null).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat(detail.toString()).contains("resolved"));
        String parent = file(AMY, pothole());
        String child = file(AMY, pothole());
        web.post().uri("/api/requests/{id}/duplicate-of/{parent}", child, parent).exchange().expectStatus().isOk();
        add(child, BOB, coworker, null).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat(detail.toString()).contains(parent));
        // and bad details are refused as intake refuses them
        add(parent, BOB, Map.of("resident", Map.of("email", "not-an-address")), null).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").value(field -> assertThat(field.toString())
                        .contains("email"));
        add(parent, BOB, Map.of("resident", Map.of("consentToContact", true), "consentToContact", false), null)
                .expectStatus().isEqualTo(422).expectBody().jsonPath("$.errors[0].field").isEqualTo("consentToContact");
        assertThat(get(parent, AMY)).containsEntry("reporterCount", 1);
    }

    private WebTestClient.ResponseSpec add(String id, String token, Map<String, Object> body, String key) {
        return web.post().uri("/api/requests/{id}/reporters", id)
                .headers(headers -> {
                    headers.set(HttpHeaders.AUTHORIZATION, token);
                    if (key != null) {
                        headers.set("Idempotency-Key", key);
                    }
                })
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private String file(String token, Map<String, Object> body) {
        return web.post().uri("/api/requests").header(HttpHeaders.AUTHORIZATION, token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> get(String id, String token) {
        return web.get().uri("/api/requests/{id}", id).header(HttpHeaders.AUTHORIZATION, token).exchange()
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> reporters(Map<String, Object> view) {
        return (List<Map<String, Object>>) view.get("additionalReporters");
    }

    private String event(String type, String requestId) {
        return KafkaTestClient.example(EventContract.example(type), requestId);
    }

    private static Map<String, Object> maria() {
        return Map.of("resident", Map.of("firstName", "Maria", "lastName", "Lopez", "phone", "(212) 555-0199",
                "email", "maria@example.org"), "consentToContact", true, "note", "Saw a cyclist fall in it");
    }

    private static Map<String, Object> pothole() {
        return Map.of("serviceCode", "pothole", "channel", "phone", "description", "Deep pothole by the bus stop",
                "location", Map.of("address", "12 Canal St"), "attributes", Map.of("size", "large"),
                "resident", Map.of("firstName", "Tunde", "lastName", "Okafor", "phone", "212-555-0188",
                        "email", "tunde@example.net", "consentToContact", true));
    }
}
