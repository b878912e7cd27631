package org.city311.request.open311;

import org.junit.jupiter.api.Test;

import org.city311.platform.test.ServiceIntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that calls too often is told to wait, in Open311's own error format; other clients go on. The test
 * calls as the ingress would: from a trusted proxy, naming each client in {@code X-Forwarded-For}.
 */
@ServiceIntegrationTest
@TestPropertySource(properties = { "city311.open311.rate-limit.per-address=5",
        "city311.open311.rate-limit.period=1h", "city311.web.trusted-proxies=127.0.0.1,::1" })
class Open311RateLimitIntegrationTests {

    @Autowired
    WebTestClient web;

    @Test
    void shouldAnswer429WithRetryAfterOnceAnAddressSpentItsCallsAndServeOthers() {
        for (int i = 0; i < 5; i++) {
            call("203.0.113.9", "/open311/discovery.json").expectStatus().isOk();
        }

        String refused = call("203.0.113.9", "/open311/v2/services.xml")
                .expectStatus().isEqualTo(429)
                .expectHeader().valueMatches("Retry-After", "\\d+")
                .expectHeader().contentTypeCompatibleWith("text/xml")
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(refused).contains("<errors>").contains("<code>429</code>").contains("too many calls");
        // a proxy that appends: what the client wrote on the left is not read
        call("198.51.100.99, 203.0.113.9", "/open311/v2/requests.json").expectStatus().isEqualTo(429)
                .expectBody().jsonPath("$[0].code").isEqualTo(429);

        // another client is not held up by the first one's flood
        call("198.51.100.20", "/open311/discovery.json").expectStatus().isOk();
        // and the staff API is not counted against Open311's limit
        web.get().uri("/api/requests").header("X-Forwarded-For", "203.0.113.9").exchange().expectStatus().isOk();
    }

    private WebTestClient.ResponseSpec call(String forwardedFor, String path) {
        return web.get().uri(path).header("X-Forwarded-For", forwardedFor).exchange();
    }
}
