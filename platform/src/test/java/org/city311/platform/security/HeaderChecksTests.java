package org.city311.platform.security;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HeaderChecksTests {

    /** Spring Security's own firewall, with its own rules: the quick checks must answer as it does. */
    private static final ServerWebExchangeFirewall SPRING = new StrictServerWebExchangeFirewall();
    private static final ServerWebExchangeFirewall QUICK = HeaderChecks.firewall();

    /** Characters on both sides of every line the rules draw: controls, tab, DEL, C1, unassigned, surrogates. */
    private static final int[] EDGES = { 0x00, 0x07, '\t', '\n', '\r', 0x1F, ' ', 'A', '~', 0x7F, 0x80, 0x9F, 0xA0,
            0xE9, 0x378, 0x2028, 0xD800, 0xDC00, 0xFFFF, 0x1F4A1, 0xE0000, 0x10FFFF };

    @Test
    void shouldAnswerEveryHeaderAsTheFirewallsOwnRulesDo() {
        Random random = new Random(311);
        int namesRefused = 0;
        int valuesRefused = 0;
        for (int i = 0; i < 40_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(12);
            for (int c = 0; c < length; c++) {
                // mostly printable ASCII, as real headers are, with edge characters mixed in
                text.appendCodePoint(random.nextInt(4) > 0 ? 0x20 + random.nextInt(0x5F)
                        : EDGES[random.nextInt(EDGES.length)]);
            }
            String header = text.toString();

            boolean nameAllowed = passes(SPRING, header, "v");
            boolean valueAllowed = passes(SPRING, "X-Note", header);
            assertThat(passes(QUICK, header, "v")).as("name %s", header.codePoints().toArray())
                    .isEqualTo(nameAllowed);
            assertThat(passes(QUICK, "X-Note", header)).as("value %s", header.codePoints().toArray())
                    .isEqualTo(valueAllowed);
            namesRefused += nameAllowed ? 0 : 1;
            valuesRefused += valueAllowed ? 0 : 1;
        }
        // the edges were hit: both rules refused many, and the quick checks refused the same
        assertThat(namesRefused).isGreaterThan(1_000);
        assertThat(valuesRefused).isGreaterThan(1_000);
    }

    /** Whether a request with this header may be read through the firewall: the header asked for by its name. */
    private static boolean passes(ServerWebExchangeFirewall firewall, String name, String value) {
        try {
            firewall.getFirewalledExchange(MockServerWebExchange.from(MockServerHttpRequest.get("/api/requests")
                    .header(name, value).build())).block().getRequest().getHeaders().getFirst(name);
            return true;
        }
        catch (ServerExchangeRejectedException rejected) {
            return false;
        }
    }

    @Test
    void shouldLetABearerTokenThroughAndStopAControlCharacter() {
        ServerWebExchangeFirewall firewall = HeaderChecks.firewall();
        String token = "Bearer eyJhbGciOiJSUzI1NiJ9." + "eyJzdWIiOiJzdGFmZi5sb2NhbCJ9".repeat(30) + ".c2lnbmF0dXJl";

        var allowed = firewall.getFirewalledExchange(MockServerWebExchange.from(MockServerHttpRequest
                .get("/api/requests").header("Authorization", token).header("X-Note", "tab\tok").build())).block();
        var bell = firewall.getFirewalledExchange(MockServerWebExchange.from(MockServerHttpRequest
                .get("/api/requests").header("X-Note", "ring\u0007").build())).block();

        assertThat(allowed.getRequest().getHeaders().getFirst("Authorization")).isEqualTo(token);
        assertThat(allowed.getRequest().getHeaders().getFirst("X-Note")).isEqualTo("tab\tok");
        assertThatThrownBy(() -> bell.getRequest().getHeaders().getFirst("X-Note"))
                .isInstanceOf(ServerExchangeRejectedException.class);
    }
}
