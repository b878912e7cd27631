package org.city311.platform.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The services' clock in tests: it starts at {@link #START} whatever day the suite runs, then runs at the pace of
 * real time, and moves forward when a test says time has passed. The contract examples happen an hour after the
 * start, so a request a test files "now" is filed before the example's routing, resolution or feedback.
 * Tokens are still checked against the machine's clock; only the services' own notion of now is fixed here.
 */
public final class TestClock extends Clock {

    /** A Monday morning in New York: the sample departments are open, no holiday is near. */
    public static final Instant START = Instant.parse("2026-11-23T13:00:00Z");

    private final long startedAt = System.nanoTime();
    private final AtomicReference<Duration> moved = new AtomicReference<>(Duration.ZERO);

    /** Lets {@code duration} pass at once. */
    public void advance(Duration duration) {
        moved.accumulateAndGet(duration, Duration::plus);
    }

    @Override
    public Instant instant() {
        // Elapsed time from the monotonic clock: a shifted or stepped wall clock does not move the services' time.
        return START.plus(Duration.ofNanos(System.nanoTime() - startedAt)).plus(moved.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the services' clock stays in UTC");
    }
}
