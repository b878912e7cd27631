package org.city311.platform.security;

import reactor.core.publisher.Mono;

import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * The caller of the HTTP request being served, for code below the controllers (a service that checks a
 * department's right as it loads the request). Empty when the platform acts on its own, on an event.
 */
public final class Callers {

    private final SecurityProperties properties;

    Callers(SecurityProperties properties) {
        this.properties = properties;
    }

    public Mono<Caller> current() {
        return ReactiveSecurityContextHolder.getContext()
                .map(SecurityContext::getAuthentication)
                .filter(JwtAuthenticationToken.class::isInstance)
                .map(token -> Caller.of(((JwtAuthenticationToken) token).getToken(), properties));
    }
}
