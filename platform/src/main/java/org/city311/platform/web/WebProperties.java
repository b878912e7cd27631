package org.city311.platform.web;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where requests come from ({@code city311.web}).
 *
 * @param trustedProxies the proxies whose {@code X-Forwarded-For} (or, without it, {@code Forwarded}) is believed,
 *        as CIDRs ({@code 10.244.0.0/16}, {@code 2001:db8::/32}) or single addresses; empty (the default): no
 *        header is believed and a client's address is the connection's. On Kubernetes, the ingress controller's
 *        pod range (env {@code TRUSTED_PROXIES}, comma-separated)
 */
@ConfigurationProperties("city311.web")
public record WebProperties(@DefaultValue List<String> trustedProxies) {

    public WebProperties {
        trustedProxies = trustedProxies == null ? List.of()
                : trustedProxies.stream().map(String::strip).filter(cidr -> !cidr.isEmpty()).toList();
    }
}
