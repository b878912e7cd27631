package org.city311.request.track;

import org.junit.jupiter.api.Test;

import org.city311.platform.security.Role;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.platform.test.TestTokens;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A caller that is not a trusted proxy cannot pick its own tracking bucket by forging {@code X-Forwarded-For} or
 * {@code Forwarded}: every read counts against the connection's address. The service runs as on Kubernetes (where
 * Reactor Netty would otherwise believe those headers from anyone) and trusts no proxy.
 */
@ServiceIntegrationTest
@TestPropertySource(properties = { "spring.main.cloud-platform=kubernetes", "city311.test.context=track-forged",
        "city311.track.rate-limit.per-address=20", "city311.track.rate-limit.period=1000h" })
class TrackForgedAddressIntegrationTests {

    @Autowired
    WebTestClient web;

    @Test
    void shouldCountEveryReadOfADirectCallerAgainstItsOwnAddressWhateverAddressItForges() {
        // when one caller makes 200 reads, each claiming another visitor's address
        int served = 0;
        int refused = 0;
        for (int i = 0; i < 200; i++) {
            String forged = "10.0." + (i / 256) + "." + (i % 256);
            WebTestClient.RequestHeadersSpec<?> call = web.get().uri("/api/track/311-99999999")
                    .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer("console", null, Role.PUBLIC_READER));
            call = i % 2 == 0 ? call.header("X-Forwarded-For", forged) : call.header("Forwarded", "for=" + forged);
            int status = call.exchange().returnResult(byte[].class).getStatus().value();
            if (status == 404) {
                served++;
            }
            else if (status == 429) {
                refused++;
            }
        }

        // then it got its own 20 answers (404: no such request), and 429 for the rest
        assertThat(served).isEqualTo(20);
        assertThat(refused).isEqualTo(180);
    }
}
