package org.city311.platform.security;

import java.util.Random;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HeaderChecksTests {

    /** Spring Security's own rules (StrictServerWebExchangeFirewall): the quick checks must answer as they do. */
    private static final Pattern FIREWALL_NAMES = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");
    private static final Pattern FIREWALL_VALUES = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

    /** Characters on both sides of every line the rules draw: controls, tab, DEL, C1, unassigned, surrogates. */
    private static final int[] EDGES = { 0x00, 0x07, '\t', '\n', '\r', 0x1F, ' ', 'A', '~', 0x7F, 0x80, 0x9F, 0xA0,
            0xE9, 0x378, 0x2028, 0xD800, 0xDC00, 0xFFFF, 0x1F4A1, 0xE0000, 0x10FFFF };

    @Test
    void shouldAnswerEveryHeaderAsTheFirewallsOwnRulesDo() {
        Random random = new Random(311);
        for (int i = 0; i < 200_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(12);
            for (int c = 0; c < length; c++) {
                // mostly printable ASCII, as real headers are, with edge characters mixed in
                text.appendCodePoint(random.nextInt(4) > 0 ? 0x20 + random.nextInt(0x5F)
                        : EDGES[random.nextInt(EDGES.length)]);
            }
            String header = text.toString();

            assertThat(HeaderChecks.allowedName(header)).as("name %s", header.codePoints().toArray())
                    .isEqualTo(FIREWALL_NAMES.matcher(header).matches());
            assertThat(HeaderChecks.allowedValue(header)).as("value %s", header.codePoints().toArray())
                    .isEqualTo(FIREWALL_VALUES.matcher(header).matches());
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
