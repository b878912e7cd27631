package org.city311.platform.web;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Makes the request's remote address the client's, before anything else looks at it: behind a trusted proxy, the
 * address it forwarded ({@link TrustedProxies}); otherwise the connection's, whatever {@code X-Forwarded-For} or
 * {@code Forwarded} say. Code that needs the client's address reads {@code getRemoteAddress()} (see
 * {@link RateLimiter#clientAddress}), never those headers. Reactor Netty's own forwarded-header support believes
 * anyone, so the platform turns it off ({@code PlatformAutoConfiguration}).
 */
public final class ClientAddressFilter implements WebFilter, Ordered {

    private final TrustedProxies proxies;

    public ClientAddressFilter(TrustedProxies proxies) {
        this.proxies = proxies;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        if (remote == null || remote.getAddress() == null || !proxies.contains(remote.getAddress())) {
            return chain.filter(exchange);
        }
        InetAddress client = proxies.client(remote.getAddress(), exchange.getRequest().getHeaders());
        if (client.equals(remote.getAddress())) {
            return chain.filter(exchange);
        }
        return chain.filter(exchange.mutate()
                .request(request -> request.remoteAddress(new InetSocketAddress(client, 0)))
                .build());
    }

    /** Before security and every other filter. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
