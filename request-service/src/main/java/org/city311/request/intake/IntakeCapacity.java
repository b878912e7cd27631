package org.city311.request.intake;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import org.city311.platform.web.Problems;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * How many requests are being filed at once, at most. Beyond it a filing is refused at once with 503 and
 * {@code Retry-After} (staff's screens and Open311 clients retry), instead of queueing until it times out or the
 * service runs out of memory: under a surge, the requests that are accepted are still accepted quickly, and none is
 * half-written.
 */
@Component
class IntakeCapacity {

    private final Semaphore permits;
    private final int limit;
    private final Duration retryAfter;
    private final Counter refused;

    IntakeCapacity(@Value("${city311.intake.max-in-flight:64}") int limit,
            @Value("${city311.intake.retry-after:2s}") Duration retryAfter, MeterRegistry meters) {
        this.permits = new Semaphore(limit);
        this.limit = limit;
        this.retryAfter = retryAfter;
        this.refused = Counter.builder("city311.intake.refused")
                .description("Filings refused with 503 because intake was at capacity").register(meters);
        Gauge.builder("city311.intake.in.flight", permits, available -> limit - available.availablePermits())
                .description("Requests being filed right now").register(meters);
    }

    /** Runs {@code filing} if there is room, releasing its place however it ends. */
    <T> Mono<T> admit(Supplier<Mono<T>> filing) {
        return Mono.defer(() -> {
            if (!permits.tryAcquire()) {
                refused.increment();
                return Mono.error(overloaded());
            }
            try {
                return filing.get().doFinally(signal -> permits.release());
            }
            catch (RuntimeException ex) {
                permits.release();
                return Mono.error(ex);
            }
        });
    }

    private ErrorResponseException overloaded() {
        ErrorResponseException problem = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "Too busy",
                "Intake is at capacity (" + limit + " requests being filed at once). Nothing was stored; "
                        + "try again in " + retryAfter.toSeconds() + " seconds.");
        problem.getHeaders().set("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds())));
        return problem;
    }
}
