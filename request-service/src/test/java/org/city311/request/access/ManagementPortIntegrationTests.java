package org.city311.request.access;

import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.platform.test.TestTokens;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The actuator on a port of its own, as on Kubernetes (MANAGEMENT_SERVER_PORT): the network policies let only
 * Prometheus reach that port and only the ingress reach the API port, so the probes and the scrape must answer
 * there, the API port must not serve the actuator, and the management port must still ask for a token wherever
 * the API port would.
 */
@ServiceIntegrationTest
@TestPropertySource(properties = { "city311.test.context=management-port", "management.server.port=0",
        "management.endpoint.health.probes.enabled=true" })
class ManagementPortIntegrationTests {

    @LocalManagementPort
    int managementPort;

    @LocalServerPort
    int serverPort;

    @Autowired
    WebTestClient api;

    @Test
    void shouldServeProbesAndTheScrapeOnTheManagementPortOnly() {
        WebTestClient management = WebTestClient.bindToServer().baseUrl("http://localhost:" + managementPort).build();
        management.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
        management.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
        management.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).value(body -> org.assertj.core.api.Assertions.assertThat(body)
                        .contains("city311_outbox_pending"));
        // anything else on the actuator still needs an operator's token
        management.get().uri("/actuator/metrics").exchange().expectStatus().isUnauthorized();
        management.get().uri("/actuator/metrics").header("Authorization", TestTokens.staff("clerk.test"))
                .exchange().expectStatus().isForbidden();

        org.assertj.core.api.Assertions.assertThat(serverPort).isNotEqualTo(managementPort);
        api.get().uri("/actuator/prometheus").exchange().expectStatus().isNotFound();
        api.get().uri("/open311/v2/services.json").exchange().expectStatus().value(status ->
                org.assertj.core.api.Assertions.assertThat(status).isIn(200, 503));
    }
}
