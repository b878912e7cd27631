package org.city311.metrics.scorecard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import org.city311.platform.web.Problems;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Mono;

/**
 * {@code GET /api/scorecards?from=&to=}: every department's service levels over a window (default: the last 30
 * days), with the ranking; {@code GET /api/scorecards/{department}} for one. {@code from} and {@code to} are
 * instants (RFC 3339) or dates (a date means its start, UTC); the window is [from, to).
 */
@RestController
class ScorecardController {

    private static final Duration DEFAULT_WINDOW = Duration.ofDays(30);
    private static final Duration LONGEST_WINDOW = Duration.ofDays(3 * 366);

    private final Scorecards scorecards;
    private final Clock clock;

    ScorecardController(Scorecards scorecards, Clock clock) {
        this.scorecards = scorecards;
        this.clock = clock;
    }

    @GetMapping("/api/scorecards")
    Mono<Scorecards.Scorecard> all(@RequestParam(required = false) String from,
            @RequestParam(required = false) String to) {
        Window window = window(from, to);
        return scorecards.scorecard(window.from(), window.to());
    }

    @GetMapping("/api/scorecards/{department}")
    Mono<Scorecards.DepartmentScorecard> one(@PathVariable String department,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        if (!department.matches("[a-z0-9][a-z0-9-]{0,63}")) {
            throw badParameter("department", "a department code: lower-case letters, digits and hyphens");
        }
        Window window = window(from, to);
        return scorecards.scorecard(window.from(), window.to())
                .flatMapIterable(Scorecards.Scorecard::departments)
                .filter(card -> card.department().equals(department))
                .next()
                .switchIfEmpty(Mono.error(() -> Problems.notFound("No service levels for department " + department
                        + ".")));
    }

    private static RuntimeException badParameter(String field, String detail) {
        return Problems.badRequest(java.util.List.of(new Problems.FieldProblem(field, field + ": " + detail)));
    }

    private record Window(Instant from, Instant to) {
    }

    private Window window(String from, String to) {
        Instant end = to == null ? clock.instant() : instant("to", to);
        Instant start = from == null ? end.minus(DEFAULT_WINDOW) : instant("from", from);
        if (!start.isBefore(end)) {
            throw badParameter("from", "must be before to");
        }
        if (Duration.between(start, end).compareTo(LONGEST_WINDOW) > 0) {
            throw badParameter("from", "a window of at most three years");
        }
        return new Window(start, end);
    }

    private static Instant instant(String field, String value) {
        try {
            return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(value);
        }
        catch (DateTimeParseException ex) {
            throw badParameter(field, "an instant (2026-11-01T00:00:00Z) or a date (2026-11-01)");
        }
    }
}
