package org.city311.platform.security;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.web.server.ServerWebExchange;

/**
 * 401 and 403 as problem+json, like every other error of the JSON APIs. A 401 carries {@code WWW-Authenticate:
 * Bearer} (RFC 6750), with {@code error="invalid_token"} when a token was sent but refused.
 */
final class SecurityProblems implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler,
        ServerExchangeRejectedHandler {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException refused) {
        String challenge = "Bearer";
        String detail = "This needs a bearer token: sign in and send it as 'Authorization: Bearer <token>'.";
        if (refused instanceof OAuth2AuthenticationException invalid) {
            String reason = invalid.getError().getDescription() != null ? invalid.getError().getDescription()
                    : invalid.getError().getErrorCode();
            challenge = "Bearer error=\"invalid_token\", error_description=\"" + reason.replace("\"", "'") + "\"";
            detail = "The bearer token was refused: " + reason;
        }
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, challenge);
        return write(exchange, HttpStatus.UNAUTHORIZED, "Unauthorized", detail);
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
        return write(exchange, HttpStatus.FORBIDDEN, "Forbidden", "Your role does not allow this.");
    }

    /** The firewall refused the address itself (an encoded '%', '/' or '\\', a control character). */
    @Override
    public Mono<Void> handle(ServerWebExchange exchange, ServerExchangeRejectedException rejected) {
        return write(exchange, HttpStatus.BAD_REQUEST, "Bad request",
                "The address has characters that are refused here (encoded '%', '/' or '\\', or control characters).");
    }

    private static Mono<Void> write(ServerWebExchange exchange, HttpStatus status, String title, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status.value());
        problem.put("detail", detail);
        problem.put("instance", exchange.getRequest().getPath().value());
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        byte[] body = JSON.writeValueAsString(problem).getBytes(StandardCharsets.UTF_8);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
