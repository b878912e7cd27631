package org.city311.feedback.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * When a sweep for work that falls due (survey windows, invitations, follow-ups) has to read the store: when the
 * earliest due time it knows of has come, and otherwise only every {@code fullSweepInterval} (and at start), as a
 * safety net for work that this instance was not told about (another instance's). In between, its ticks cost
 * nothing: no read of a collection that grows with history.
 * <p>
 * A sweep tells it what is left ({@link #swept}: the earliest due time still in the store after it); a write that
 * makes new work tells it the work's due time ({@link #expect}), so that a sweep runs when it falls due even if it is
 * earlier than every other. Times are the service's clock's.
 */
public final class DueSweeps {

    private final Clock clock;
    private final Duration fullSweepInterval;
    /** Due times announced since the last sweep began. */
    private final AtomicReference<Instant> announced = new AtomicReference<>(Instant.MAX);
    private volatile Instant nextDue = Instant.MIN;
    /** When the last sweep began; null before the first. */
    private volatile Instant lastSweep;

    public DueSweeps(Clock clock, Duration fullSweepInterval) {
        this.clock = clock;
        this.fullSweepInterval = fullSweepInterval;
    }

    /** Whether a sweep should read the store now; if so, it has begun (call {@link #swept} once it is done). */
    public boolean begin() {
        Instant now = clock.instant();
        Instant earliest = min(nextDue, announced.get());
        if (lastSweep != null && now.isBefore(lastSweep.plus(fullSweepInterval)) && now.isBefore(earliest)) {
            return false;
        }
        // what is announced from here on may not be in what this sweep reads: it is kept for the next
        announced.set(Instant.MAX);
        return true;
    }

    /**
     * The sweep that began went through everything due.
     *
     * @param began when it began ({@link #begin} returned true)
     * @param earliestLeft the earliest due time of the work still in the store, or null if none
     */
    public void swept(Instant began, Instant earliestLeft) {
        lastSweep = began;
        nextDue = earliestLeft == null ? Instant.MAX : earliestLeft;
    }

    /** New work falls due at that time. */
    public void expect(Instant dueAt) {
        announced.accumulateAndGet(dueAt, DueSweeps::min);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
