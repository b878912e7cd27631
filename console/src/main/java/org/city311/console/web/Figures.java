package org.city311.console.web;

import java.math.BigDecimal;
import java.util.Locale;

import org.springframework.stereotype.Component;

/**
 * metrics-service's measures as people read them, by the unit each measure's name gives (its
 * {@code scorecard.Measure}): durations ({@code ...-seconds}) as "5 days" or "3 h 20 min", ratios and rates
 * ({@code ...-ratio}, {@code ...-rate}) as percentages, mean scores ({@code ...-mean}) out of 5 with one decimal,
 * counts as whole numbers. The exact number stays with it ({@link Figure#exact()}) for a {@code <data>} element's
 * value and title. Templates call it as {@code @figures}.
 */
@Component("figures")
public class Figures {

    /** A figure: what people read, and the exact number it stands for (with its unit, for a title). */
    public record Figure(String text, String exact, String exactWithUnit) {
    }

    enum Unit { SECONDS, RATIO, SCORE, PER_REQUEST, COUNT }

    public Figure of(String measure, Double value) {
        if (value == null) {
            return new Figure("—", "", "not measured yet");
        }
        String exact = exact(value);
        return switch (unitOf(measure)) {
            case SECONDS -> new Figure(duration(value), exact, exact + " seconds");
            case RATIO -> new Figure(percent(value), exact, exact);
            case SCORE -> new Figure(String.format(Locale.ENGLISH, "%.1f of 5", value), exact, exact);
            case PER_REQUEST -> new Figure(String.format(Locale.ENGLISH, "%.2f a request", value), exact, exact);
            case COUNT -> new Figure(count(value), exact, exact);
        };
    }

    static Unit unitOf(String measure) {
        String key = measure == null ? "" : measure;
        if (key.endsWith("-seconds")) {
            return Unit.SECONDS;
        }
        if (key.endsWith("-ratio") || key.endsWith("-rate")) {
            return Unit.RATIO;
        }
        if (key.endsWith("-mean")) {
            return Unit.SCORE;
        }
        if (key.endsWith("-per-request")) {
            return Unit.PER_REQUEST;
        }
        return Unit.COUNT;
    }

    /**
     * "45 s", "12 min", "3 h 20 min", "5 days", "2 days 4 h": the two largest units, rounded to the smaller one.
     */
    static String duration(double seconds) {
        String sign = seconds < 0 ? "−" : "";
        long total = Math.round(Math.abs(seconds));
        if (total < 60) {
            return sign + total + " s";
        }
        long minutes = Math.round(total / 60.0);
        if (minutes < 60) {
            return sign + minutes + " min";
        }
        if (minutes < 24 * 60) {
            return sign + join(minutes / 60, "h", minutes % 60, "min");
        }
        long hours = Math.round(total / 3600.0);
        long days = hours / 24;
        String dayWord = days == 1 ? "1 day" : days + " days";
        return sign + (hours % 24 == 0 ? dayWord : dayWord + " " + hours % 24 + " h");
    }

    static String percent(double ratio) {
        double percent = ratio * 100;
        // whole percentages, unless that would round a figure near a target away (95.5% is not 96%)
        return Math.abs(percent - Math.rint(percent)) < 0.05
                ? String.format(Locale.ENGLISH, "%.0f%%", percent)
                : String.format(Locale.ENGLISH, "%.1f%%", percent);
    }

    private static String count(double value) {
        return value == Math.rint(value) ? String.format(Locale.ENGLISH, "%,d", (long) value)
                : String.format(Locale.ENGLISH, "%,.1f", value);
    }

    /** The number as it came, without a trailing ".0" or an exponent: 432000, 0.95, -0.15. */
    static String exact(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static String join(long big, String bigUnit, long small, String smallUnit) {
        return small == 0 ? big + " " + bigUnit : big + " " + bigUnit + " " + small + " " + smallUnit;
    }
}
