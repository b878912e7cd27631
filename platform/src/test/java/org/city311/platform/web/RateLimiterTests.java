package org.city311.platform.web;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterTests {

    private final AtomicLong now = new AtomicLong();

    @Test
    void shouldRefuseTheSixthSubmissionInAMinuteWithTheSecondsToWait() {
        RateLimiter perToken = new RateLimiter(5, Duration.ofMinutes(1), 1000, now::get);

        for (int i = 0; i < 5; i++) {
            assertThat(perToken.tryAcquire("token").allowed()).isTrue();
        }
        RateLimiter.Decision sixth = perToken.tryAcquire("token");

        assertThat(sixth.allowed()).isFalse();
        assertThat(sixth.retryAfterSeconds()).isEqualTo(12); // one submission earned back every 12 s
    }

    @Test
    void shouldEarnSubmissionsBackOverThePeriod() {
        RateLimiter perToken = new RateLimiter(5, Duration.ofMinutes(1), 1000, now::get);
        for (int i = 0; i < 5; i++) {
            perToken.tryAcquire("token");
        }

        now.addAndGet(Duration.ofSeconds(12).toNanos());

        assertThat(perToken.tryAcquire("token").allowed()).isTrue();
        assertThat(perToken.tryAcquire("token").allowed()).isFalse();
    }

    @Test
    void shouldCountEachKeyApart() {
        RateLimiter perAddress = new RateLimiter(2, Duration.ofMinutes(1), 1000, now::get);
        perAddress.tryAcquire("203.0.113.7");
        perAddress.tryAcquire("203.0.113.7");

        assertThat(perAddress.tryAcquire("203.0.113.7").allowed()).isFalse();
        assertThat(perAddress.tryAcquire("198.51.100.23").allowed()).isTrue();
    }

    @Test
    void shouldRememberABoundedNumberOfKeysUnderAFloodOfNewOnes() {
        RateLimiter perAddress = new RateLimiter(60, Duration.ofMinutes(1), 100, now::get);

        for (int i = 0; i < 10_000; i++) {
            perAddress.tryAcquire("10.0." + (i / 256) + "." + (i % 256));
        }

        assertThat(perAddress.tracked()).isLessThanOrEqualTo(100);
    }
}
