package org.city311.request.intake;

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

/** What staff may file, checked against the service catalog routing-service published. */
@ServiceIntegrationTest
class IntakeIntegrationTests {

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
    void shouldRefuseAnUnknownServiceNamingIt() {
        post(Map.of("serviceCode", "unicorn-sighting", "channel", "phone", "location", Map.of("address", "1 Main St")))
                .expectStatus().isEqualTo(422)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("serviceCode")
                .jsonPath("$.errors[0].message").value(message -> assertThat((String) message).contains("unicorn-sighting"));
    }

    @Test
    void shouldListEveryAttributeAtFaultAgainstTheServiceDefinition() {
        // heat: "problem" is required and a list, "since" is a datetime; "colour" is not an attribute of it
        post(Map.of("serviceCode", "heat-hot-water", "channel", "phone", "location", Map.of("address", "1 Main St"),
                "attributes", Map.of("since", "yesterday", "colour", "blue")))
                .expectStatus().isEqualTo(422)
                .expectBody()
                .jsonPath("$.errors[?(@.field == 'attributes.since')]").exists()
                .jsonPath("$.errors[?(@.field == 'attributes.colour')]").exists()
                .jsonPath("$.errors[?(@.field == 'attributes.problem')].message").value(
                        messages -> assertThat(messages.toString()).contains("required"));

        post(Map.of("serviceCode", "pothole", "channel", "phone", "location", Map.of("address", "1 Main St"),
                "attributes", Map.of("size", "enormous")))
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.errors[0].message").value(
                        message -> assertThat((String) message).contains("enormous").contains("large"));
    }

    @Test
    void shouldAcceptEveryDatatypeAndStoreListsAsLists() {
        post(Map.of("serviceCode", "streetlight-out", "channel", "web",
                "location", Map.of("latitude", 40.7128, "longitude", -74.006),
                "attributes", Map.of("pole-number", "P-77", "hazards", List.of("near-school", "exposed-wires"))))
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.attributes.hazards[1]").isEqualTo("exposed-wires");
        post(Map.of("serviceCode", "heat-hot-water", "channel", "phone", "location", Map.of("address", "9 Elm St"),
                "attributes", Map.of("problem", "heat", "since", "2026-11-22T18:00:00-05:00", "apartment", "4B")))
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.attributes.since").isEqualTo("2026-11-22T18:00:00-05:00");
    }

    @Test
    void shouldRefuseLocationsOutsideTheCityAndControlCharacters() {
        post(Map.of("serviceCode", "other", "channel", "phone", "description", "Lost dog",
                "location", Map.of("latitude", 51.5072, "longitude", -0.1276)))
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.errors[0].message").value(
                        message -> assertThat((String) message).contains("outside the city"));
        post(Map.of("serviceCode", "other", "channel", "phone", "description", "Bell\u0007 rings",
                "location", Map.of("address", "1 Main St")))
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("description");
        // HTML and line breaks are plain text, kept as given
        post(Map.of("serviceCode", "other", "channel", "phone", "description", "<b>Loud</b>\r\nparty",
                "location", Map.of("address", "1 Main St")))
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.description").isEqualTo("<b>Loud</b>\r\nparty");
    }

    @Test
    void shouldRefuseMongoOperatorsOversizedBodiesAndWrongTypesWithoutAServerError() {
        web.post().uri("/api/requests").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"serviceCode\": {\"$gt\": \"\"}, \"channel\": \"phone\"}")
                .exchange().expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        web.post().uri("/api/requests").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"serviceCode\": \"other\", \"channel\": \"carrier-pigeon\"}")
                .exchange().expectStatus().isBadRequest();
        web.post().uri("/api/requests").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"serviceCode\": \"other\", \"channel\": \"phone\", \"description\": \""
                        + "x".repeat(10 * 1024 * 1024) + "\"}")
                .exchange().expectStatus().value(status -> assertThat(status).isIn(400, 413));
        web.post().uri("/api/requests").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("serviceCode", "other", "channel", "phone", "description", "x".repeat(4001),
                        "location", Map.of("address", "1 Main St")))
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("description");
    }

    @Test
    void shouldFileInternalRequestsAsTheInternalSegment() {
        post(Map.of("serviceCode", "pothole", "channel", "internal", "requestingDepartment", "housing",
                "location", Map.of("address", "Housing depot, 5 Depot Rd"),
                "attributes", Map.of("size", "small")))
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.segment").isEqualTo("internal")
                .jsonPath("$.requestingDepartment").isEqualTo("housing");
        post(Map.of("serviceCode", "pothole", "channel", "internal", "location", Map.of("address", "5 Depot Rd"),
                "attributes", Map.of("size", "small")))
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("requestingDepartment");
    }

    @Test
    void shouldReturnTheFirstAnswerToARetryWithTheSameIdempotencyKey() {
        Map<String, Object> body = Map.of("serviceCode", "other", "channel", "phone",
                "description", "Retried over a flaky line", "location", Map.of("address", "2 Main St"));

        String first = web.post().uri("/api/requests").header("Idempotency-Key", "k-123")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isCreated().expectHeader().valueEquals("Idempotent-Replayed", "false")
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();
        String second = web.post().uri("/api/requests").header("Idempotency-Key", "k-123")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isCreated().expectHeader().valueEquals("Idempotent-Replayed", "true")
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();

        assertThat(second).isEqualTo(first);
        assertThat(new KafkaTestClient(brokers).readAll("city311.requests", Duration.ofSeconds(2)))
                .filteredOn(record -> first.equals(record.key())).hasSize(1);
        web.post().uri("/api/requests").header("Idempotency-Key", "k-123").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("serviceCode", "other", "channel", "phone",
                        "description", "Something else", "location", Map.of("address", "2 Main St")))
                .exchange().expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("Idempotency-Key");
    }

    @Test
    void shouldOfferANearbyOpenRequestAsPossibleDuplicateAndLetStaffLinkIt() {
        // given a pothole reported at Broadway and Chambers
        String first = idOf(post(Map.of("serviceCode", "pothole", "channel", "phone",
                "location", Map.of("latitude", 40.71410, "longitude", -74.00620), "attributes", Map.of("size", "large"))));

        // when a second report 20 m away is filed, staff are offered the first
        WebTestClient.BodyContentSpec secondFiled = post(Map.of("serviceCode", "pothole", "channel", "walk_in",
                "location", Map.of("latitude", 40.71428, "longitude", -74.00620), "attributes", Map.of("size", "large")))
                .expectStatus().isCreated()
                .expectBody()
                .jsonPath("$.possibleDuplicates[0].id").isEqualTo(first)
                .jsonPath("$.possibleDuplicates[0].distanceMeters").value(
                        distance -> assertThat(((Number) distance).doubleValue()).isBetween(15.0, 25.0));
        String second = com.jayway.jsonpath.JsonPath.read(new String(secondFiled.returnResult().getResponseBody()), "$.id");

        // and once linked, the second follows the first's status (routed with it), but not into its department:
        // the second is its own department's to read, and is not routed yet
        web.post().uri("/api/requests/{id}/duplicate-of/{parent}", second, first).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.duplicateOf").isEqualTo(first);
        new KafkaTestClient(brokers).send("city311.routing", first,
                KafkaTestClient.example(EventContract.example("city311.request.routed.v1"), first));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> web.get().uri("/api/requests/{id}", second)
                .exchange().expectBody().jsonPath("$.status").isEqualTo("routed")
                .jsonPath("$.department").doesNotExist());

        // a request cannot be linked twice, nor to itself
        web.post().uri("/api/requests/{id}/duplicate-of/{parent}", second, first).exchange()
                .expectStatus().isEqualTo(409);
        web.post().uri("/api/requests/{id}/duplicate-of/{parent}", first, first).exchange()
                .expectStatus().isEqualTo(422);
    }

    private String idOf(WebTestClient.ResponseSpec response) {
        return response.expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody()
                .get("id").toString();
    }

    private WebTestClient.ResponseSpec post(Map<String, Object> body) {
        return web.post().uri("/api/requests").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }
}
