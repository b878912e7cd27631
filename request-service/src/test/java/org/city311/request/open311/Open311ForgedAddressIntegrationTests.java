package org.city311.request.open311;

import org.junit.jupiter.api.Test;

import org.city311.platform.test.ServiceIntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that calls directly, not through a trusted proxy, cannot pick its own rate-limit bucket by forging
 * {@code X-Forwarded-For} or {@code Forwarded}. The service runs as it does on Kubernetes, where Spring Boot would
 * otherwise let Reactor Netty believe those headers from anyone, and trusts no proxy (the default).
 */
@ServiceIntegrationTest
@TestPropertySource(properties = { "spring.main.cloud-platform=kubernetes",
        "city311.open311.rate-limit.per-address=100", "city311.open311.rate-limit.period=1000h" })
class Open311ForgedAddressIntegrationTests {

    @Autowired
    WebTestClient web;

    @Test
    void shouldCountEveryCallFromOneAddressAgainstItWhateverForwardedAddressItForges() {
        // when one address makes 300 calls, each claiming another client's address (three times its allowance: were
        // a forged address believed, each call would have a bucket of its own and all 300 would be served)
        int calls = 300;
        int served = 0;
        int refused = 0;
        for (int i = 0; i < calls; i++) {
            String forged = "10." + (i / 65536) + "." + (i / 256 % 256) + "." + (i % 256);
            WebTestClient.RequestHeadersSpec<?> call = web.get().uri("/open311/discovery.json");
            call = i % 2 == 0 ? call.header("X-Forwarded-For", forged)
                    : call.header("Forwarded", "for=" + forged);
            int status = call.exchange().returnResult(byte[].class).getStatus().value();
            if (status == 200) {
                served++;
            }
            else if (status == 429) {
                refused++;
            }
        }

        // then it gets its own 100 calls (one more every 10 hours), and 429 for the rest
        assertThat(served).isEqualTo(100);
        assertThat(refused).isEqualTo(calls - served);
    }
}
