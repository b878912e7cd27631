package org.city311.console.quiz;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import reactor.core.publisher.Mono;

import org.city311.console.upstream.Quizzes;
import org.city311.console.upstream.Upstream;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClientException;
import org.springframework.web.server.ServerWebExchange;

/**
 * Whether the signed-in person's knowledge check is due (the city requires one every so often:
 * {@code city311.quiz.required-every} on routing-service), for the reminder every page shows then. routing-service
 * is asked once per session and again after a check is handed in, not on every page.
 */
@Component
public class QuizReminder {

    static final String DUE_AT = "city311.quiz.dueAt";
    /** Not required: never due. */
    static final Instant NEVER = Instant.MAX;
    /** When routing-service could not say: ask again after this long, meanwhile no reminder. */
    static final Duration ASK_AGAIN = Duration.ofMinutes(10);

    private final Upstream.AsUser services;
    private final Quizzes quizzes;
    private final Clock clock;

    QuizReminder(Upstream.AsUser services, Quizzes quizzes, Clock clock) {
        this.services = services;
        this.quizzes = quizzes;
        this.clock = clock;
    }

    public Mono<Boolean> due(ServerWebExchange exchange) {
        return exchange.getSession().flatMap(session -> {
            Instant known = session.getAttribute(DUE_AT);
            Mono<Instant> dueAt = known != null ? Mono.just(known)
                    : quizzes.standing(services.routing())
                            .map(standing -> standing.dueAt() == null ? NEVER : standing.dueAt())
                            .onErrorResume(WebClientException.class,
                                    unavailable -> Mono.just(clock.instant().plus(ASK_AGAIN)))
                            .doOnNext(at -> session.getAttributes().put(DUE_AT, at));
            return dueAt.map(at -> !clock.instant().isBefore(at));
        });
    }

    /** A check was handed in: the next page asks again. */
    Mono<Void> handedIn(ServerWebExchange exchange) {
        return exchange.getSession().doOnNext(session -> session.getAttributes().remove(DUE_AT)).then();
    }
}
