package org.city311.platform.security;

import reactor.core.publisher.Mono;

import org.springframework.core.MethodParameter;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.result.method.HandlerMethodArgumentResolver;
import org.springframework.web.server.ServerWebExchange;

/** Gives a controller method its {@link Caller} parameter, from the request's verified token. */
final class CallerArgumentResolver implements HandlerMethodArgumentResolver {

    private final SecurityProperties properties;

    CallerArgumentResolver(SecurityProperties properties) {
        this.properties = properties;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Caller.class;
    }

    @Override
    public Mono<Object> resolveArgument(MethodParameter parameter, BindingContext context,
            ServerWebExchange exchange) {
        return exchange.getPrincipal()
                .filter(JwtAuthenticationToken.class::isInstance)
                .map(principal -> (Object) Caller.of(((JwtAuthenticationToken) principal).getToken(), properties))
                .switchIfEmpty(Mono.error(() -> new AuthenticationCredentialsNotFoundException("no bearer token")));
    }
}
