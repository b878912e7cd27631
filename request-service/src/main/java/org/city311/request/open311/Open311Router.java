package org.city311.request.open311;

import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.city311.platform.web.RateLimiter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The Open311 GeoReport v2 endpoint under {@code /open311/v2}, discovery at {@code /open311/discovery.{xml,json}}.
 * <p>
 * Functional routes rather than controllers, so that the JSON API's problem+json advice never answers here: every
 * failure, including a path or method we do not serve, is an Open311 error array in the format the path asks for
 * (XML when it names none).
 */
@Configuration(proxyBeanMethods = false)
class Open311Router {

    private static final Logger log = LoggerFactory.getLogger(Open311Router.class);
    private static final List<PathPattern> RESOURCES = List.of(
            "/open311/discovery.{format}", "/open311/v2/discovery.{format}",
            "/open311/v2/services.{format}", "/open311/v2/services/{code}.{format}",
            "/open311/v2/requests.{format}", "/open311/v2/requests/{id}.{format}",
            "/open311/v2/tokens/{token}.{format}", "/open311/v2/servicerequestupdates.{format}")
            .stream().map(PathPatternParser.defaultInstance::parse).toList();

    @Bean
    RouterFunction<ServerResponse> open311Routes(ServicesHandler services, RequestsHandler requests,
            UpdatesHandler updates, Open311Properties properties) {
        Open311Properties.RateLimit limit = properties.rateLimit();
        RateLimiter perAddress = new RateLimiter(limit.perAddress(), limit.period(), limit.maxTracked(),
                System::nanoTime);
        return RouterFunctions.route()
                .path("/open311", open311 -> open311
                        .GET("/discovery.{format}", services::discovery)
                        .GET("/v2/discovery.{format}", services::discovery)
                        .GET("/v2/services.{format}", services::services)
                        .GET("/v2/services/{code}.{format}", services::definition)
                        .POST("/v2/requests.{format}", requests::create)
                        .GET("/v2/requests.{format}", requests::search)
                        .GET("/v2/requests/{id}.{format}", requests::one)
                        .GET("/v2/tokens/{token}.{format}", requests::token)
                        .GET("/v2/servicerequestupdates.{format}", updates::list)
                        .POST("/v2/servicerequestupdates.{format}", updates::post)
                        .route(RequestPredicates.all(), Open311Router::unknown)
                        // A flood is turned away before anything is read or stored.
                        .filter((request, next) -> Mono.defer(() -> {
                                    RateLimiter.Decision decision = perAddress.tryAcquire(
                                            RateLimiter.clientAddress(request.exchange().getRequest()));
                                    return decision.allowed() ? next.handle(request)
                                            : Mono.error(tooManyCalls(decision.retryAfterSeconds()));
                                })
                                .onErrorResume(failure -> error(failure, request))))
                .build();
    }

    private static Open311Exception tooManyCalls(long retryAfterSeconds) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        return new Open311Exception(HttpStatus.TOO_MANY_REQUESTS, List.of("too many calls from this address; try "
                + "again in " + retryAfterSeconds + " seconds"), headers);
    }

    private static Mono<ServerResponse> unknown(ServerRequest request) {
        boolean known = RESOURCES.stream()
                .anyMatch(pattern -> pattern.matches(request.requestPath().pathWithinApplication()));
        if (known) {
            return Mono.error(new Open311Exception(HttpStatus.METHOD_NOT_ALLOWED, List.of(request.method()
                    + " is not served on " + request.path()
                    + "; POST requests and servicerequestupdates, GET the rest")));
        }
        return Mono.error(Open311Exception.notFound("no Open311 resource " + Parameters.abbreviate(request.path())
                + "; see /open311/discovery.xml"));
    }

    /** Every failure as an error array, in the format the path asks for (XML when it names none). */
    private static Mono<ServerResponse> error(Throwable failure, ServerRequest request) {
        Open311Exception error = open311(failure, request);
        Format format = Format.ofPath(request.path());
        return ServerResponse.status(error.status())
                .headers(headers -> {
                    headers.addAll(error.headers());
                    if (error.status() == HttpStatus.METHOD_NOT_ALLOWED) {
                        headers.setAllow(Set.of(HttpMethod.GET, HttpMethod.POST));
                    }
                    headers.set(HttpHeaders.CONTENT_TYPE, format.contentType());
                })
                .bodyValue(format.render(error.body()));
    }

    /** Only a failure of ours (a bug, the store down) is a 5xx, and is logged. */
    private static Open311Exception open311(Throwable failure, ServerRequest request) {
        if (failure instanceof Open311Exception open311) {
            return open311;
        }
        if (failure instanceof ErrorResponseException problem) {
            Open311Exception translated = IntakeProblems.translate(problem);
            if (translated.status().is5xxServerError()) {
                log.warn("Open311 {} {} answered {}: {}", request.method(), request.path(),
                        translated.status().value(), translated.getMessage());
            }
            return translated;
        }
        if (failure instanceof DataBufferLimitException) {
            return new Open311Exception(HttpStatus.CONTENT_TOO_LARGE, List.of("the request body is too large"));
        }
        if (failure instanceof ResponseStatusException status && status.getStatusCode().is4xxClientError()) {
            return Open311Exception.badRequest(String.valueOf(status.getReason()));
        }
        log.error("Open311 {} {} failed", request.method(), request.path(), failure);
        return new Open311Exception(HttpStatus.INTERNAL_SERVER_ERROR,
                List.of("the request could not be completed; nothing was changed unless a later read shows it"));
    }
}
