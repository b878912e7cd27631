package org.city311.platform.web;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientAddressFilterTests {

    /** The ingress controller's pods, and an internal load balancer in front of it. */
    private final ClientAddressFilter filter = new ClientAddressFilter(
            new TrustedProxies(List.of("10.244.0.0/16", "192.0.2.10", "fd00:311::/64")));

    @Test
    void shouldIgnoreForwardedHeadersFromAConnectionThatIsNoTrustedProxy() {
        assertThat(clientOf(request("203.0.113.9").header("X-Forwarded-For", "198.51.100.1")))
                .isEqualTo("203.0.113.9");
        assertThat(clientOf(request("203.0.113.9").header("Forwarded", "for=198.51.100.1")))
                .isEqualTo("203.0.113.9");
        // a neighbour of a trusted range is not trusted
        assertThat(clientOf(request("10.245.0.1").header("X-Forwarded-For", "198.51.100.1")))
                .isEqualTo("10.245.0.1");
    }

    @Test
    void shouldTakeTheAddressATrustedProxyForwarded() {
        assertThat(clientOf(request("10.244.3.7").header("X-Forwarded-For", "198.51.100.1")))
                .isEqualTo("198.51.100.1");
        assertThat(clientOf(request("fd00:311::5").header("X-Forwarded-For", "2001:db8::1")))
                .isEqualTo("2001:db8:0:0:0:0:0:1");
        // without a header, the proxy itself is the client
        assertThat(clientOf(request("10.244.3.7"))).isEqualTo("10.244.3.7");
    }

    @Test
    void shouldNeverReadWhatAClientWroteLeftOfTheHopATrustedProxyAdded() {
        // a proxy that appends: the client's own "X-Forwarded-For: 1.2.3.4" stays on the left, unread
        assertThat(clientOf(request("10.244.3.7").header("X-Forwarded-For", "1.2.3.4, 198.51.100.1")))
                .isEqualTo("198.51.100.1");
        assertThat(clientOf(request("10.244.3.7").header("X-Forwarded-For", "1.2.3.4")
                .header("X-Forwarded-For", "198.51.100.1"))).isEqualTo("198.51.100.1");
        // a chain of trusted proxies hands over to the hop before it
        assertThat(clientOf(request("10.244.3.7").header("X-Forwarded-For", "1.2.3.4, 198.51.100.1, 192.0.2.10")))
                .isEqualTo("198.51.100.1");
    }

    @Test
    void shouldReadForwardedOnlyWhenXForwardedForIsAbsent() {
        assertThat(clientOf(request("10.244.3.7")
                .header("Forwarded", "for=1.2.3.4, for=\"[2001:db8:cafe::17]:4711\";proto=https")))
                .isEqualTo("2001:db8:cafe:0:0:0:0:17");
        assertThat(clientOf(request("10.244.3.7").header("Forwarded", "For=\"198.51.100.1:443\"")))
                .isEqualTo("198.51.100.1");
        // the proxy overwrites X-Forwarded-For; a Forwarded header the client sent passes through, unread
        assertThat(clientOf(request("10.244.3.7").header("Forwarded", "for=1.2.3.4")
                .header("X-Forwarded-For", "198.51.100.1"))).isEqualTo("198.51.100.1");
    }

    @Test
    void shouldStopAtTheLastAddressKnownWhenAHopIsNoIpAddress() {
        assertThat(clientOf(request("10.244.3.7").header("X-Forwarded-For", "unknown"))).isEqualTo("10.244.3.7");
        assertThat(clientOf(request("10.244.3.7").header("X-Forwarded-For", "evil.example")))
                .isEqualTo("10.244.3.7");
        assertThat(clientOf(request("10.244.3.7").header("Forwarded", "for=_hidden"))).isEqualTo("10.244.3.7");
        assertThat(clientOf(request("10.244.3.7").header("X-Forwarded-For", "198.51.100.1, 300.1.1.1")))
                .isEqualTo("10.244.3.7");
        assertThat(clientOf(request("10.244.3.7").header("X-Forwarded-For", "198.51.100.1:5555")))
                .isEqualTo("198.51.100.1");
    }

    @Test
    void shouldRefuseATrustedProxyThatIsNoAddressOrRange() {
        assertThatThrownBy(() -> new TrustedProxies(List.of("ingress-nginx")))
                .hasMessageContaining("city311.web.trusted-proxies").hasMessageContaining("ingress-nginx");
        assertThatThrownBy(() -> new TrustedProxies(List.of("10.0.0.0/33"))).hasMessageContaining("0 to 32");
        assertThat(new TrustedProxies(List.of()).isEmpty()).isTrue();
    }

    private static MockServerHttpRequest.BaseBuilder<?> request(String peer) {
        return MockServerHttpRequest.get("/open311/discovery.json").remoteAddress(new InetSocketAddress(peer, 41_000));
    }

    /** The key the rate limits would use, once the filter has run. */
    private String clientOf(MockServerHttpRequest.BaseBuilder<?> request) {
        AtomicReference<String> seen = new AtomicReference<>();
        filter.filter(MockServerWebExchange.from(request), exchange -> {
            seen.set(exchange.getRequest().getRemoteAddress().getAddress().getHostAddress());
            return Mono.empty();
        }).block();
        return seen.get();
    }
}
