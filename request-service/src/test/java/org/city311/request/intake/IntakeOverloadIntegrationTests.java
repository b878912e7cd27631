package org.city311.request.intake;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.request.CatalogFixture;
import org.city311.request.ServiceRequest;
import org.city311.request.catalog.ServiceCatalogCopy;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Intake with no room left (a surge): staff and Open311 clients are told to come back, nothing is half-stored. */
@ServiceIntegrationTest
@TestPropertySource(properties = { "city311.intake.max-in-flight=0", "city311.intake.retry-after=5s",
        "city311.open311.dev-api-key=" + IntakeOverloadIntegrationTests.KEY })
class IntakeOverloadIntegrationTests {

    static final String KEY = "overload-key-0123456789abcdef";

    @Autowired
    WebTestClient web;

    @Autowired
    ServiceCatalogCopy catalog;

    @Autowired
    ReactiveMongoTemplate mongo;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @BeforeEach
    void catalogPublished() {
        CatalogFixture.published(catalog, brokers);
    }

    @Test
    void shouldAnswer503WithRetryAfterToStaffAndOpen311AndStoreNothing() {
        web.post().uri("/api/requests").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("serviceCode", "streetlight-out", "description", "Dark", "channel", "phone",
                        "location", Map.of("latitude", 40.7128, "longitude", -74.006)))
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", "5")
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.title").isEqualTo("Too busy");

        String error = web.post().uri("/open311/v2/requests.json").contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .bodyValue("api_key=" + KEY + "&service_code=streetlight-out&lat=40.7128&long=-74.006")
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", "5")
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(error).contains("\"code\":503").contains("capacity");

        assertThat(mongo.count(new org.springframework.data.mongodb.core.query.Query(), ServiceRequest.class)
                .block()).isZero();
    }

    @Test
    void shouldStillRefuseBadInputAsSuchWhenFull() {
        web.post().uri("/api/requests").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("serviceCode", "no-such-service", "channel", "phone"))
                .exchange()
                .expectStatus().value(status -> assertThat(status).isIn(400, 422));
    }
}
