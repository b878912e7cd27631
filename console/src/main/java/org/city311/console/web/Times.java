package org.city311.console.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
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

    public ZoneId zone() {
        return zone;
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
