package org.city311.console.departments;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.city311.console.upstream.Catalog;

/**
 * A department's business hours from the catalog, as residents read them: the days and times its published
 * standards count ("Monday 08:00–17:00"), and the next days it is closed. The same hours routing-service counts due
 * times in, so the page and the due dates never disagree.
 */
final class WorkingHours {

    private static final DateTimeFormatter CLOSED_DAY = DateTimeFormatter.ofPattern("EEEE d MMMM", Locale.ENGLISH);

    /** @param days each working day with its hours, Monday first; {@code closed} the next days it does not work */
    record Shown(List<String> days, List<String> closed) {
    }

    private WorkingHours() {
    }

    static Shown of(Catalog.Hours hours, LocalDate today, int closedDaysShown) {
        if (hours == null || hours.weekly() == null || hours.weekly().isEmpty()) {
            return new Shown(List.of(), List.of());
        }
        List<String> days = new ArrayList<>();
        for (DayOfWeek day : DayOfWeek.values()) {
            String open = find(hours.weekly(), day);
            if (open != null && !open.isBlank()) {
                String name = day.getDisplayName(TextStyle.FULL, Locale.ENGLISH);
                days.add(name + " " + ("00:00-24:00".equals(open.strip()) ? "around the clock"
                        : open.strip().replace("-", "–")));
            }
        }
        java.util.TreeSet<LocalDate> upcoming = new java.util.TreeSet<>();
        for (String holiday : hours.holidays() == null ? List.<String>of() : hours.holidays()) {
            try {
                LocalDate day = LocalDate.parse(holiday);
                if (!day.isBefore(today)) {
                    upcoming.add(day);
                }
            }
            catch (DateTimeParseException notADay) {
                // routing-service refuses such a catalog; should one arrive anyway, the day is left out
            }
        }
        List<String> closed = upcoming.stream().limit(closedDaysShown).map(CLOSED_DAY::format).toList();
        return new Shown(days, closed);
    }

    private static String find(Map<String, String> weekly, DayOfWeek day) {
        return weekly.get(day.name().toLowerCase(Locale.ROOT));
    }
}
