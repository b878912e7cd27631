package org.city311.metrics.scorecard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.city311.metrics.servicelevel.ServiceLevelHistory;
import org.city311.platform.web.Problems;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import reactor.core.publisher.Mono;

/**
 * {@code GET /api/scorecards?from=&to=}: every department's service levels over a window (default: the last 30
 * days), with the ranking; {@code GET /api/scorecards/{department}} for one; {@code .../trend?days=&measure=} its
 * measures day by day; {@code .../resolution-times?from=&to=} how long its resolutions took, as bucket counts.
 * {@code from} and {@code to} are instants (RFC 3339) or dates (a date means its start, UTC); the window is
 * [from, to). Every answer is computed at most {@code city311.metrics.scorecards.freshness} ago ({@link Scorecards}).
 * They hold figures only, nothing about people: the console's public pages read them too (see {@link ScorecardAccess}).
 */
@RestController
class ScorecardController {

    private static final Duration LONGEST_WINDOW = Duration.ofDays(3 * 366);
    static final int LONGEST_TREND_DAYS = 366;
    private static final int DEFAULT_TREND_DAYS = 30;

    private final Scorecards scorecards;
    private final Clock clock;

    ScorecardController(Scorecards scorecards, Clock clock) {
        this.scorecards = scorecards;
        this.clock = clock;
    }

    @GetMapping("/api/scorecards")
    Mono<Scorecards.Scorecard> all(@RequestParam(required = false) String from,
            @RequestParam(required = false) String to) {
        Scorecards.Asked window = window(from, to);
        return scorecards.summary(window).map(Scorecards.Summary::scorecard);
    }

    /**
     * The runaround per service over a window (default: the last 30 days): for operations and administrators, the
     * services whose requests had to be transferred, the catalog problems first.
     */
    @GetMapping("/api/runaround")
    Mono<Scorecards.Runaround> runaround(@RequestParam(required = false) String from,
            @RequestParam(required = false) String to) {
        return scorecards.summary(window(from, to)).map(Scorecards.Summary::runaround);
    }

    @GetMapping("/api/scorecards/{department}")
    Mono<Scorecards.DepartmentScorecard> one(@PathVariable String department,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        checkDepartment(department);
        Scorecards.Asked window = window(from, to);
        return scorecards.summary(window)
                .flatMapIterable(summary -> summary.scorecard().departments())
                .filter(card -> card.department().equals(department))
                .next()
                .switchIfEmpty(Mono.error(() -> noServiceLevels(department)));
    }

    /**
     * @param firstDay the first point's day (UTC)
     * @param lastDay the last point's: today, so far
     * @param measures the measures of each point, in the order asked for
     * @param points one a day, oldest first
     */
    record Trend(String department, LocalDate firstDay, LocalDate lastDay, List<String> measures,
            List<Point> points) {
    }

    /** @param values each measure's value that day (null when there was nothing to measure) */
    record Point(LocalDate date, Map<String, Double> values) {
    }

    @GetMapping("/api/scorecards/{department}/trend")
    Mono<Trend> trend(@PathVariable String department, @RequestParam(required = false) String days,
            @RequestParam(name = "measure", required = false) List<String> measure) {
        checkDepartment(department);
        int length = trendDays(days);
        List<Measure> measures = measures(measure);
        List<String> keys = measures.stream().map(Measure::key).toList();
        return scorecards.daily(length).flatMap(daily -> {
            if (!daily.departments().contains(department)) {
                return Mono.error(noServiceLevels(department));
            }
            List<Point> points = new ArrayList<>();
            for (int day = 0; day < daily.byDay().size(); day++) {
                Map<String, Double> all = daily.byDay().get(day).get(department);
                Map<String, Double> values = new LinkedHashMap<>();
                keys.forEach(key -> values.put(key, all.get(key)));
                points.add(new Point(daily.first().plusDays(day), values));
            }
            return Mono.just(new Trend(department, daily.first(), daily.first().plusDays(length - 1L), keys,
                    points));
        });
    }

    /**
     * @param count resolutions in the window
     * @param buckets the counts, from the shortest times up: each bucket holds the times above its
     *        {@code fromSeconds} and up to its {@code toSeconds} (the bounds of {@code city311_resolution_seconds});
     *        the last one has no {@code toSeconds}
     */
    record ResolutionTimes(String department, Instant from, Instant to, long count, List<Bucket> buckets) {
    }

    record Bucket(long fromSeconds, Long toSeconds, long count) {
    }

    @GetMapping("/api/scorecards/{department}/resolution-times")
    Mono<ResolutionTimes> resolutionTimes(@PathVariable String department,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        checkDepartment(department);
        Scorecards.Asked window = window(from, to);
        double[] bounds = ServiceLevelHistory.bucketBounds("city311_resolution_seconds");
        return scorecards.summary(window).flatMap(summary -> {
            long[] counts = summary.resolutionCounts().get(department);
            if (counts == null) {
                return Mono.error(noServiceLevels(department));
            }
            List<Bucket> buckets = new ArrayList<>();
            long total = 0;
            for (int i = 0; i < counts.length; i++) {
                buckets.add(new Bucket(i == 0 ? 0 : (long) bounds[i - 1], i < bounds.length ? (long) bounds[i] : null,
                        counts[i]));
                total += counts[i];
            }
            return Mono.just(new ResolutionTimes(department, summary.scorecard().from(), summary.scorecard().to(),
                    total, buckets));
        });
    }

    private static RuntimeException noServiceLevels(String department) {
        return Problems.notFound("No service levels for department " + department + ".");
    }

    private static void checkDepartment(String department) {
        if (!department.matches("[a-z0-9][a-z0-9-]{0,63}")) {
            throw badParameter("department", "a department code: lower-case letters, digits and hyphens");
        }
    }

    private static int trendDays(String days) {
        if (days == null) {
            return DEFAULT_TREND_DAYS;
        }
        try {
            int parsed = Integer.parseInt(days);
            if (parsed >= 1 && parsed <= LONGEST_TREND_DAYS) {
                return parsed;
            }
        }
        catch (NumberFormatException ex) {
            // said below
        }
        throw badParameter("days", "a whole number of days from 1 to " + LONGEST_TREND_DAYS);
    }

    /** The measures asked for (repeated, or separated by commas), in that order; the trend's four by default. */
    private static List<Measure> measures(List<String> asked) {
        if (asked == null || asked.isEmpty()) {
            return Scorecards.TREND_MEASURES;
        }
        Set<Measure> measures = new LinkedHashSet<>();
        for (String one : asked) {
            for (String key : one.split(",")) {
                try {
                    measures.add(Measure.byKey(key.strip()));
                }
                catch (IllegalArgumentException ex) {
                    throw badParameter("measure", ex.getMessage());
                }
            }
        }
        return List.copyOf(measures);
    }

    private static RuntimeException badParameter(String field, String detail) {
        return Problems.badRequest(List.of(new Problems.FieldProblem(field, field + ": " + detail)));
    }

    /** Checks the window asked for as of now; a missing end stays missing, so the answer for it can be kept. */
    private Scorecards.Asked window(String from, String to) {
        Instant now = clock.instant();
        Instant end = to == null ? null : instant("to", to);
        Instant start = from == null ? null : instant("from", from);
        Scorecards.Asked asked = new Scorecards.Asked(start, end);
        if (!asked.start(now).isBefore(asked.end(now))) {
            throw badParameter("from", "must be before to");
        }
        if (Duration.between(asked.start(now), asked.end(now)).compareTo(LONGEST_WINDOW) > 0) {
            throw badParameter("from", "a window of at most three years");
        }
        return asked;
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
