package org.city311.request.status;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.city311.contracts.EventContract;
import org.city311.platform.security.Role;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.platform.test.TestTokens;
import org.city311.request.CatalogFixture;
import org.city311.request.ServiceRequest;
import org.city311.request.catalog.ServiceCatalogCopy;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Staff search by a caller's phone or e-mail, by district and segment, with coordinates, against the real store. */
@ServiceIntegrationTest
@TestPropertySource(properties = "city311.test.context=request-search")
class RequestSearchIntegrationTests {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final String STAFF = TestTokens.staff("staff.amy");

    @Autowired
    WebTestClient web;

    @Autowired
    ServiceCatalogCopy catalog;

    @Autowired
    ReactiveMongoTemplate mongo;

    @Autowired
    CallerKeysBackfill backfill;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    KafkaTestClient kafka;

    @BeforeEach
    void catalogPublishedByRoutingService() {
        CatalogFixture.published(catalog, brokers);
        kafka = new KafkaTestClient(brokers);
    }

    @Test
    void shouldFindEveryRequestACallerReportedByPhoneOrEmailInAnyNotationPageByPage() {
        // given Kim filed one request, was added as a caller to another, and a third is someone else's
        String number = uniqueNumber();
        String email = "kim." + number + "@example.org";
        String filed = file(STAFF, pothole(resident("Kim", "212-" + number.substring(0, 3) + "-" + number.substring(3),
                "Kim." + number + "@Example.org"), 40.7141, -74.0062));
        String other = file(STAFF, pothole(resident("Lou", "212-555-0100", "lou@example.org"), 40.72, -74.0));
        web.post().uri("/api/requests/{id}/reporters", other).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("resident", resident("Kim", "(212) " + number.substring(0, 3) + " "
                        + number.substring(3), email)))
                .exchange().expectStatus().isCreated();
        String unrelated = file(STAFF, pothole(resident("Ned", "212-555-0111", "ned@example.org"), 40.73, -74.0));

        // when staff look the caller up by her number, written their way, one result a page
        Map<String, Object> first = search("phone=212." + number + "&limit=1", STAFF).expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        Map<String, Object> second = search("phone=212." + number + "&limit=1&cursor=" + first.get("next"), STAFF)
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();

        // then they find both of her reports, newest first, each with its address and coordinates, and no more
        assertThat(items(first)).extracting(item -> item.get("id")).containsExactly(other);
        assertThat(items(second)).extracting(item -> item.get("id")).containsExactly(filed);
        assertThat(second.get("next")).isNull();
        assertThat(items(second).get(0)).containsEntry("address", "12 Canal St").containsEntry("latitude", 40.7141)
                .containsEntry("longitude", -74.0062).doesNotContainKey("resident");
        // and by her address in another case
        assertThat(ids("email=" + email.toUpperCase(), STAFF)).containsExactly(other, filed);
        assertThat(ids("email=" + email + "&phone=2125550111", STAFF)).isEmpty();
        assertThat(ids("phone=2125550111", STAFF)).containsExactly(unrelated);
    }

    @Test
    void shouldLetOnlyThoseWhoSeeResidentsDetailsSearchByThemWithinWhatTheySee() {
        // given two requests of the same caller, one routed to Transportation
        String number = uniqueNumber();
        String routed = file(STAFF, pothole(resident("Kim", "212" + number, null), 40.7141, -74.0062));
        String notYet = file(STAFF, pothole(resident("Kim", "212" + number, null), 40.7141, -74.0062));
        kafka.send("city311.routing", routed, KafkaTestClient.example(
                EventContract.example(EventContract.REQUEST_ROUTED), routed));
        await().atMost(WAIT).until(() -> "routed".equals(request(routed).get("status")));

        // then staff find both, Transportation's agent the one they see the resident of, and auditors none
        assertThat(ids("phone=212" + number, STAFF)).containsExactly(notYet, routed);
        assertThat(ids("phone=212" + number, TestTokens.agent("transportation"))).containsExactly(routed);
        assertThat(ids("phone=212" + number, TestTokens.supervisor("housing"))).isEmpty();
        for (String token : List.of(TestTokens.only(Role.AUDITOR), TestTokens.only(Role.ADMIN))) {
            search("phone=212" + number, token).expectStatus().isForbidden()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
            search("email=kim@example.org", token).expectStatus().isForbidden();
        }
        // an auditor still searches by everything else
        search("serviceCode=pothole", TestTokens.only(Role.AUDITOR)).expectStatus().isOk();
        // and what is no number or address is a 400 naming it
        search("phone=12", STAFF).expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field")
                .isEqualTo("phone");
        search("email=nobody", STAFF).expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field")
                .isEqualTo("email");
    }

    @Test
    void shouldFilterByDistrictAndSegment() {
        // given a request routed in Manhattan, one in Brooklyn, and an internal one
        String manhattan = file(STAFF, pothole(null, 40.7141, -74.0062));
        String brooklyn = file(STAFF, pothole(null, 40.65, -73.95));
        kafka.send("city311.routing", manhattan, KafkaTestClient.example(
                EventContract.example(EventContract.REQUEST_ROUTED), manhattan));
        kafka.send("city311.routing", brooklyn, KafkaTestClient.example(
                EventContract.example(EventContract.REQUEST_ROUTED), brooklyn)
                .replace("\"district\": \"manhattan\"", "\"district\": \"brooklyn\""));
        Map<String, Object> internal = new HashMap<>(pothole(null, 40.7141, -74.0062));
        internal.put("channel", "internal");
        internal.put("requestingDepartment", "housing");
        String asked = file(STAFF, internal);
        await().atMost(WAIT).until(() -> "brooklyn".equals(request(brooklyn).get("district"))
                && "manhattan".equals(request(manhattan).get("district")));

        // then each filter finds its own
        assertThat(ids("district=brooklyn", STAFF)).contains(brooklyn).doesNotContain(manhattan, asked);
        assertThat(ids("district=manhattan", STAFF)).contains(manhattan).doesNotContain(brooklyn, asked);
        assertThat(ids("segment=internal", STAFF)).contains(asked).doesNotContain(manhattan, brooklyn);
        assertThat(ids("segment=resident&district=manhattan", STAFF)).contains(manhattan).doesNotContain(asked);
        search("segment=business", STAFF).expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field")
                .isEqualTo("segment");
        search("district=$ne", STAFF).expectStatus().isBadRequest();
    }

    @Test
    void shouldFindTheCallersOfRequestsStoredBeforeCallerKeysWereKept() {
        // given a request stored before caller keys were kept (no callerKeys field at all)
        String number = uniqueNumber();
        String id = "311-old-" + number;
        Instant filed = Instant.parse("2026-11-01T10:00:00Z");
        mongo.insert(new Document(Map.of("_id", id, "serviceCode", "pothole", "channel", "PHONE",
                "segment", "RESIDENT", "status", "SUBMITTED", "statusSequence", 0L, "history", List.of(),
                "submittedAt", java.util.Date.from(filed), "updatedAt", java.util.Date.from(filed),
                "resident", new Document(Map.of("firstName", "Old", "phone", "212 " + number,
                        "consentToContact", false)))), ServiceRequest.COLLECTION).block(WAIT);
        assertThat(ids("phone=212" + number, STAFF)).isEmpty();

        // when the backfill runs (at every start)
        backfill.backfill().block(WAIT);

        // then a search by that caller's number finds it
        assertThat(ids("phone=212" + number, STAFF)).containsExactly(id);
    }

    private static String uniqueNumber() {
        return String.valueOf(ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999));
    }

    private WebTestClient.ResponseSpec search(String query, String token) {
        return web.get().uri("/api/requests?" + query).header(HttpHeaders.AUTHORIZATION, token).exchange();
    }

    @SuppressWarnings("unchecked")
    private List<Object> ids(String query, String token) {
        Map<String, Object> page = search(query + "&limit=200", token).expectStatus().isOk().expectBody(Map.class)
                .returnResult().getResponseBody();
        return items(page).stream().map(item -> item.get("id")).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Map<String, Object> page) {
        return (List<Map<String, Object>>) page.get("items");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> request(String id) {
        return web.get().uri("/api/requests/{id}", id).exchange().expectStatus().isOk().expectBody(Map.class)
                .returnResult().getResponseBody();
    }

    private String file(String token, Map<String, Object> body) {
        return web.post().uri("/api/requests").header(HttpHeaders.AUTHORIZATION, token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();
    }

    private static Map<String, Object> resident(String firstName, String phone, String email) {
        Map<String, Object> resident = new HashMap<>(Map.of("firstName", firstName, "phone", phone,
                "consentToContact", true));
        if (email != null) {
            resident.put("email", email);
        }
        return resident;
    }

    private static Map<String, Object> pothole(Map<String, Object> resident, double lat, double lng) {
        Map<String, Object> body = new HashMap<>(Map.of("serviceCode", "pothole", "channel", "phone",
                "description", "Deep pothole", "attributes", Map.of("size", "large"),
                "location", Map.of("address", "12 Canal St", "latitude", lat, "longitude", lng)));
        if (resident != null) {
            body.put("resident", resident);
        }
        return body;
    }
}
