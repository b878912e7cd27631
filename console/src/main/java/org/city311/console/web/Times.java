package org.city311.console.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Times as the city's staff read them: in the city's time zone ({@code console.time-zone}), and ages ("3 h ago",
 * "due in 2 d") from the injected clock. Templates call it as {@code @times}.
 */
@Component("times")
public class Times {

    private final ZoneId zone;
    private final Clock clock;

    Times(@Value("${console.time-zone:America/New_York}") String zone, Clock clock) {
        this.zone = ZoneId.of(zone);
        this.clock = clock;
    }

    public String format(Instant at, String pattern) {
        return at == null ? "" : DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH).withZone(zone).format(at);
    }

    /** "5 min ago", "2 h ago", "3 d ago". */
    public String ago(Instant at) {
        return at == null ? "" : span(Duration.between(at, clock.instant())) + " ago";
    }

    /** "in 4 h" or "4 h late". */
    public String until(Instant at) {
        if (at == null) {
            return "";
        }
        Duration left = Duration.between(clock.instant(), at);
        return left.isNegative() ? span(left.negated()) + " late" : "in " + span(left);
    }

    /**
     * Where "this month" starts in the city: a fixed instant, so every page load asks metrics-service for the same
     * (cached) window; in the month's first hour, the hour before (a window must have a length).
     */
    public Instant monthStart() {
        Instant now = clock.instant();
        Instant start = LocalDate.now(clock.withZone(zone)).withDayOfMonth(1).atStartOfDay(zone).toInstant();
        return start.isBefore(now.minusSeconds(3600)) ? start
                : now.minusSeconds(3600).truncatedTo(ChronoUnit.HOURS);
    }

    public ZoneId zone() {
        return zone;
    }

    /** Today in the city. */
    public LocalDate today() {
        return LocalDate.now(clock.withZone(zone));
    }

    private static String span(Duration duration) {
        long minutes = Math.max(0, duration.toMinutes());
        if (minutes < 60) {
            return minutes + " min";
        }
        if (minutes < 48 * 60) {
            return minutes / 60 + " h";
        }
        return minutes / (24 * 60) + " d";
    }
}
