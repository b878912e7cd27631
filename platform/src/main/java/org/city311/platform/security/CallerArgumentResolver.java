package org.city311.platform.security;

import reactor.core.publisher.Mono;

import org.springframework.core.MethodParameter;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.result.method.HandlerMethodArgumentResolver;
import org.springframework.web.server.ServerWebExchange;

/** Gives a controller method its {@link Caller} parameter, from the request's verified token. */
final class CallerArgumentResolver implements HandlerMethodArgumentResolver {

    private final Callers callers;

    CallerArgumentResolver(Callers callers) {
        this.callers = callers;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Caller.class;
    }

    @Override
    public Mono<Object> resolveArgument(MethodParameter parameter, BindingContext context,
            ServerWebExchange exchange) {
        return callers.current().map(caller -> (Object) caller)
                .switchIfEmpty(Mono.error(() -> new AuthenticationCredentialsNotFoundException("no bearer token")));
    }
}
