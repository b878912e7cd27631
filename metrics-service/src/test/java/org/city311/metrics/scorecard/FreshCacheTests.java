package org.city311.metrics.scorecard;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.city311.platform.test.TestClock;

import static org.assertj.core.api.Assertions.assertThat;

/** A page asks for the service levels computed at most a freshness ago, and a busy page never waits for them. */
class FreshCacheTests {

    private static final Duration FRESHNESS = Duration.ofSeconds(40);

    private final TestClock clock = new TestClock();
    private final FreshCache<String, String> cache = new FreshCache<>(FRESHNESS, 8, clock);
    private final AtomicInteger computations = new AtomicInteger();

    private Mono<String> compute() {
        return Mono.fromCallable(() -> "computation " + computations.incrementAndGet());
    }

    private String ask() {
        return cache.get("last-30-days", this::compute).block();
    }

    @Test
    void shouldGiveTheAnswerWhileComputingItAgainInTheLastQuarterOfItsFreshness() {
        // given an answer computed once
        assertThat(ask()).isEqualTo("computation 1");

        // when pages ask for it within three quarters of its freshness, then it is given without computing
        clock.advance(Duration.ofSeconds(29));
        assertThat(ask()).isEqualTo("computation 1");
        assertThat(computations).hasValue(1);

        // when one asks in the last quarter, then it is given at once, and computed again beside
        clock.advance(Duration.ofSeconds(2));
        assertThat(ask()).isEqualTo("computation 1");
        assertThat(computations).hasValue(2);

        // and the next page gets the new answer, which stays fresh for its own freshness: no page waited
        assertThat(ask()).isEqualTo("computation 2");
        clock.advance(Duration.ofSeconds(25));
        assertThat(ask()).isEqualTo("computation 2");
        assertThat(computations).hasValue(2);
    }

    @Test
    void shouldComputeAndWaitOnceAnAnswerIsOlderThanItsFreshness() {
        assertThat(ask()).isEqualTo("computation 1");

        // when nobody asked during the last quarter and the freshness has passed
        clock.advance(Duration.ofSeconds(41));

        // then the page waits for a new answer: none older than the freshness is given
        assertThat(ask()).isEqualTo("computation 2");
        assertThat(computations).hasValue(2);
    }

    @Test
    void shouldKeepTheAnswerWhenComputingItAgainFailsAndTryAgainAtTheNextAsk() {
        assertThat(ask()).isEqualTo("computation 1");
        clock.advance(Duration.ofSeconds(31));

        // when the computation beside fails (the store did not answer)
        assertThat(cache.get("last-30-days", () -> Mono.<String>error(new IllegalStateException("store down")))
                .block()).isEqualTo("computation 1");

        // then the answer is still given, and the next ask computes it again
        assertThat(ask()).isEqualTo("computation 1");
        assertThat(ask()).isEqualTo("computation 2");
    }
}
