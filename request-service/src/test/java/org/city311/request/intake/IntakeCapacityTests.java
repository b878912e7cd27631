package org.city311.request.intake;

import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import org.springframework.web.ErrorResponseException;

import static org.assertj.core.api.Assertions.assertThat;

class IntakeCapacityTests {

    @Test
    void shouldRefuseAtOnceWith503AndRetryAfterWhenFullAndAdmitAgainWhenAPlaceFrees() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        IntakeCapacity capacity = new IntakeCapacity(2, Duration.ofSeconds(3), meters);
        Sinks.One<String> first = Sinks.one();
        Sinks.One<String> second = Sinks.one();

        // given two filings still being written
        Mono<String> one = capacity.admit(first::asMono);
        Mono<String> two = capacity.admit(second::asMono);
        one.subscribe();
        two.subscribe();

        // when a third comes, it is refused at once: 503, Retry-After, nothing run
        boolean[] ran = { false };
        StepVerifier.create(capacity.admit(() -> {
            ran[0] = true;
            return Mono.just("third");
        })).expectErrorSatisfies(error -> {
            assertThat(error).isInstanceOf(ErrorResponseException.class);
            ErrorResponseException problem = (ErrorResponseException) error;
            assertThat(problem.getStatusCode().value()).isEqualTo(503);
            assertThat(problem.getHeaders().getFirst("Retry-After")).isEqualTo("3");
            assertThat(problem.getBody().getDetail()).contains("Nothing was stored");
        }).verify(Duration.ofSeconds(5));
        assertThat(ran[0]).isFalse();
        assertThat(meters.get("city311.intake.refused").counter().count()).isEqualTo(1);
        assertThat(meters.get("city311.intake.in.flight").gauge().value()).isEqualTo(2);

        // then once one of them is stored (or fails), the next is admitted
        first.tryEmitValue("done");
        second.tryEmitError(new IllegalStateException("store down"));
        StepVerifier.create(capacity.admit(() -> Mono.just("fourth"))).expectNext("fourth").verifyComplete();
        assertThat(meters.get("city311.intake.in.flight").gauge().value()).isZero();
    }

    @Test
    void shouldGiveThePlaceBackWhenTheFilingThrowsBeforeItStarts() {
        IntakeCapacity capacity = new IntakeCapacity(1, Duration.ofSeconds(1), new SimpleMeterRegistry());

        StepVerifier.create(capacity.admit(() -> {
            throw new IllegalArgumentException("bad");
        })).expectError(IllegalArgumentException.class).verify(Duration.ofSeconds(5));

        StepVerifier.create(capacity.admit(() -> Mono.just("next"))).expectNext("next").verifyComplete();
    }
}
