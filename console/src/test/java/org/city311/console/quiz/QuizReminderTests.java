package org.city311.console.quiz;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.city311.console.upstream.Quizzes;
import org.city311.console.upstream.Upstream;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;

import static org.assertj.core.api.Assertions.assertThat;

/** The "your check is due" reminder: asked of routing-service once per session, never shown on a guess. */
class QuizReminderTests {

    static final Instant NOW = Instant.parse("2026-12-06T15:00:00Z");

    /** routing-service's answers, one per call, counted. */
    static final class Answers extends Quizzes {

        final Deque<Mono<Standing>> next = new ArrayDeque<>();
        int calls;

        @Override
        public Mono<Standing> standing(WebClient routing) {
            calls++;
            return next.isEmpty() ? Mono.error(new IllegalStateException("no answer scripted")) : next.poll();
        }
    }

    static final class MovingClock extends Clock {

        Instant now = NOW;

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    final Answers routing = new Answers();
    final MovingClock clock = new MovingClock();
    final QuizReminder reminder = new QuizReminder(new Upstream.AsUser(null, null, null, null), routing, clock);
    final MockServerWebExchange page = MockServerWebExchange.from(MockServerHttpRequest.get("/queue"));

    @Test
    void shouldRemindSomeoneDueAndAskRoutingServiceOnlyOncePerSession() {
        // routing-service says due, with its own clock a little ahead of the console's
        routing.next.add(Mono.just(new Quizzes.Standing(List.of(), null, 365L, NOW.plusMillis(40), true)));

        assertThat(reminder.due(page).block()).isTrue();
        clock.now = NOW.plusSeconds(60);
        assertThat(reminder.due(page).block()).isTrue();
        assertThat(routing.calls).isEqualTo(1);

        // and once they hand a check in, the next page asks again: no longer due, for a year
        reminder.handedIn(page).block();
        routing.next.add(Mono.just(new Quizzes.Standing(List.of(), NOW, 365L, NOW.plus(Duration.ofDays(365)),
                false)));
        assertThat(reminder.due(page).block()).isFalse();
        clock.now = NOW.plus(Duration.ofDays(364));
        assertThat(reminder.due(page).block()).isFalse();
        clock.now = NOW.plus(Duration.ofDays(365));
        assertThat(reminder.due(page).block()).isTrue();
        assertThat(routing.calls).isEqualTo(2);
    }

    @Test
    void shouldNeverRemindWhereNoCheckIsRequired() {
        routing.next.add(Mono.just(new Quizzes.Standing(List.of(), null, null, null, false)));

        assertThat(reminder.due(page).block()).isFalse();
        clock.now = NOW.plus(Duration.ofDays(3650));
        assertThat(reminder.due(page).block()).isFalse();
        assertThat(routing.calls).isEqualTo(1);
    }

    @Test
    void shouldShowNoReminderWhileRoutingServiceCannotSayAndAskAgainTenMinutesLater() {
        routing.next.add(Mono.error(new WebClientRequestException(new java.io.IOException("refused"),
                org.springframework.http.HttpMethod.GET, java.net.URI.create("http://routing/api/quiz/mine"),
                new org.springframework.http.HttpHeaders())));
        routing.next.add(Mono.error(new java.util.concurrent.TimeoutException("no answer within 10 s")));
        routing.next.add(Mono.just(new Quizzes.Standing(List.of(), null, 365L, NOW, true)));

        // a failure: no reminder, and no call again for ten minutes, however long ago a check was due
        assertThat(reminder.due(page).block()).isFalse();
        clock.now = NOW.plus(Duration.ofMinutes(9));
        assertThat(reminder.due(page).block()).isFalse();
        assertThat(routing.calls).isEqualTo(1);
        // a timeout is a failure too
        clock.now = NOW.plus(Duration.ofMinutes(10));
        assertThat(reminder.due(page).block()).isFalse();
        assertThat(routing.calls).isEqualTo(2);
        // and once it answers, the reminder shows
        clock.now = NOW.plus(Duration.ofMinutes(21));
        assertThat(reminder.due(page).block()).isTrue();
        assertThat(routing.calls).isEqualTo(3);
    }
}
