package org.city311.console.quiz;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import reactor.core.publisher.Mono;

import org.city311.console.upstream.Quizzes;
import org.city311.console.upstream.Upstream;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * Whether the signed-in person's knowledge check is due (the city requires one every so often:
 * {@code city311.quiz.required-every} on routing-service), for the reminder every page shows then. routing-service
 * is asked once per session and again after a check is handed in, not on every page.
 */
@Component
public class QuizReminder {

    static final String DUE_AT = "city311.quiz.dueAt";
    static final String ASK_AGAIN_AT = "city311.quiz.askAgainAt";
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
            Instant now = clock.instant();
            Instant known = session.getAttribute(DUE_AT);
            if (known != null) {
                return Mono.just(!now.isBefore(known));
            }
            Instant askAgainAt = session.getAttribute(ASK_AGAIN_AT);
            if (askAgainAt != null && now.isBefore(askAgainAt)) {
                return Mono.just(false);
            }
            return quizzes.standing(services.routing())
                    .map(standing -> {
                        // routing-service's word for now (its clock and ours may differ by a little), its due time
                        // for the pages after
                        Instant dueAt = standing.due() ? now : standing.dueAt() == null ? NEVER : standing.dueAt();
                        session.getAttributes().put(DUE_AT, dueAt);
                        session.getAttributes().remove(ASK_AGAIN_AT);
                        return standing.due();
                    })
                    // routing-service could not say: no reminder, and it is asked again a while later
                    .onErrorResume(Upstream::unavailable, unavailable -> {
                        session.getAttributes().put(ASK_AGAIN_AT, now.plus(ASK_AGAIN));
                        return Mono.just(false);
                    });
        });
    }

    /** A check was handed in: the next page asks again. */
    Mono<Void> handedIn(ServerWebExchange exchange) {
        return exchange.getSession().doOnNext(session -> {
            session.getAttributes().remove(DUE_AT);
            session.getAttributes().remove(ASK_AGAIN_AT);
        }).then();
    }
}
