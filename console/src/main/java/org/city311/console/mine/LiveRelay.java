package org.city311.console.mine;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Flux;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Live updates of a person's own filings: one stream from request-service per signed-in person, shared by all
 * their open tabs (so ten tabs cost request-service one stream, and its per-person stream limit is never hit by
 * tabs). It starts with the first tab and ends with the last; when request-service ends it (the token it was
 * opened with has run out), the tabs reconnect by themselves and the next one opens it again with a fresh token.
 */
@Component
class LiveRelay {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> EVENTS =
            new ParameterizedTypeReference<>() {
            };

    private final Map<String, Flux<ServerSentEvent<String>>> streams = new ConcurrentHashMap<>();

    /** The person's stream, opened with this request's client (which carries their token) if none is open. */
    Flux<ServerSentEvent<String>> of(String person, WebClient request) {
        Flux<ServerSentEvent<String>> shared = streams.computeIfAbsent(person, who -> request.get()
                .uri("/api/requests/events").accept(MediaType.TEXT_EVENT_STREAM).retrieve().bodyToFlux(EVENTS)
                .filter(event -> event.data() != null)
                // One kind of message for the page's script: request-service names each event by its change
                // ("routed", "resolved"...), which the data carries as its type too.
                .map(event -> ServerSentEvent.builder(event.data()).id(event.id()).build())
                .doFinally(signal -> streams.remove(who))
                .publish().refCount(1, Duration.ofSeconds(2)));
        // A comment every 20 s keeps proxies from closing a quiet stream.
        return Flux.merge(shared, Flux.interval(Duration.ofSeconds(20))
                .map(tick -> ServerSentEvent.<String>builder().comment("still here").build()))
                .takeUntilOther(shared.ignoreElements().then());
    }
}
