package org.city311.request.duplicates;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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

/** Duplicate candidates before filing: open requests of a service near a point, against the real store. */
@ServiceIntegrationTest
@TestPropertySource(properties = "city311.test.context=nearby-requests")
class NearbyRequestsIntegrationTests {

    /** Degrees of latitude per metre. */
    static final double METRE = 1 / 111_320.0;

    @Autowired
    WebTestClient web;

    @Autowired
    ServiceCatalogCopy catalog;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @BeforeEach
    void catalogPublishedByRoutingService() {
        CatalogFixture.published(catalog, brokers);
    }

    @Test
    void shouldOfferTheOpenRequestsOfTheServiceNearThePointNearestFirstWithoutPersonalData() {
        // given potholes 30 m and 10 m from a point and one 200 m away, a streetlight at the point, and a pothole
        // there that is linked as a duplicate of another
        double lat = 40.7301;
        double lng = -73.9901;
        String thirty = file("pothole", lat + 30 * METRE, lng, "Deep hole, 30 m north");
        String ten = file("pothole", lat + 10 * METRE, lng, "Hole by the hydrant");
        String far = file("pothole", lat + 200 * METRE, lng, "Hole two blocks up");
        file("streetlight-out", lat, lng, "Lamp out");
        String linked = file("pothole", lat, lng, "Same hole again");
        web.post().uri("/api/requests/{id}/duplicate-of/{parent}", linked, ten).exchange().expectStatus().isOk();

        // when a call-taker looks before filing
        Map<String, Object> nearby = body(nearby("serviceCode=pothole&lat=" + lat + "&long=" + lng,
                TestTokens.staff("staff.amy")));

        // then they see the two open potholes within the default 50 m, nearest first, with what they need to tell
        // whether it is the caller's, and nothing of any resident
        assertThat(nearby).containsEntry("radiusMeters", 50.0).containsEntry("serviceCode", "pothole");
        List<Map<String, Object>> items = items(nearby);
        assertThat(items).extracting(item -> item.get("id")).containsExactly(ten, thirty);
        assertThat(items.get(0)).containsEntry("description", "Hole by the hydrant")
                .containsEntry("status", "submitted").containsEntry("address", "7 Bleecker St")
                .containsKeys("submittedAt", "latitude", "longitude")
                .doesNotContainKeys("resident", "filedBy", "history");
        assertThat((Double) items.get(0).get("distanceMeters")).isBetween(9.5, 10.5);
        assertThat((Double) items.get(1).get("distanceMeters")).isBetween(29.5, 30.5);
        // and a wider circle reaches the one two blocks up
        List<Map<String, Object>> wider = items(body(nearby("serviceCode=pothole&lat=" + lat + "&long=" + lng
                + "&radiusMeters=250", TestTokens.staff("staff.amy"))));
        assertThat(wider).extracting(item -> item.get("id")).containsExactly(ten, thirty, far);
    }

    @Test
    void shouldShowAnAgentOtherDepartmentsCandidatesWithoutTheirDescription() {
        // given a pothole (Transportation's service) reported to staff
        double lat = 40.7402;
        double lng = -73.9802;
        String pothole = file("pothole", lat, lng, "Hole outside the school");

        // when a Housing agent looks there before filing an internal request, and a Transportation agent does
        List<Map<String, Object>> housing = items(body(nearby("serviceCode=pothole&lat=" + lat + "&long=" + lng,
                TestTokens.agent("housing"))));

        // then the Housing agent learns there is one (as intake would tell them), not what it says; the request
        // is not routed yet, so no agent reads it
        assertThat(housing).singleElement().satisfies(item -> {
            assertThat(item).containsEntry("id", pothole).containsEntry("address", "7 Bleecker St");
            assertThat(item.get("description")).isNull();
        });
    }

    @Test
    void shouldRefuseBadCoordinatesAndUnknownServicesWithAProblem() {
        String staff = TestTokens.staff("staff.amy");
        for (String query : List.of("serviceCode=pothole&lat=91&long=-73.99", "serviceCode=pothole&lat=abc&long=-73.99",
                "serviceCode=pothole&long=-73.99", "serviceCode=pothole&lat=NaN&long=-73.99",
                "serviceCode=pothole&lat=51.5&long=-0.12")) {
            nearby(query, staff).expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.errors[0].field").isEqualTo("lat");
        }
        nearby("serviceCode=pothole&lat=40.73&long=-200", staff).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("long");
        nearby("lat=40.73&long=-73.99", staff).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("serviceCode");
        nearby("serviceCode=no-such-service&lat=40.73&long=-73.99", staff).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("serviceCode");
        nearby("serviceCode=pothole&lat=40.73&long=-73.99&radiusMeters=5000", staff).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("radiusMeters");
    }

    private WebTestClient.ResponseSpec nearby(String query, String token) {
        return web.get().uri("/api/requests/nearby?" + query).header(HttpHeaders.AUTHORIZATION, token).exchange();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(WebTestClient.ResponseSpec response) {
        return response.expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Map<String, Object> nearby) {
        return (List<Map<String, Object>>) nearby.get("items");
    }

    private String file(String serviceCode, double lat, double lng, String description) {
        Map<String, Object> body = new HashMap<>(Map.of("serviceCode", serviceCode, "channel", "phone",
                "description", description,
                "location", Map.of("address", "7 Bleecker St", "latitude", lat, "longitude", lng),
                "resident", Map.of("firstName", "Ada", "lastName", "Reyes", "phone", "212-555-0101",
                        "consentToContact", true)));
        if (serviceCode.equals("pothole")) {
            body.put("attributes", Map.of("size", "large"));
        }
        return web.post().uri("/api/requests").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();
    }
}
