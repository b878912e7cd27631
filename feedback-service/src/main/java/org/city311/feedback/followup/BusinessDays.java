package org.city311.feedback.followup;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.city311.platform.calendar.BusinessCalendar;

/**
 * Follow-up due dates in the department's business days: the days its published calendar has hours and no holiday
 * (the {@link BusinessCalendar} routing-service counts due times on), in its time zone. Before a department's
 * calendar is known, Monday to Friday in the city's zone.
 */
final class BusinessDays {

    private BusinessDays() {
    }

    /**
     * The end of the {@code days}-th business day after the day of {@code from} (that day itself does not count,
     * whether or not it is a business day), at 23:59:59 in the calendar's zone: opened on a Friday afternoon with 5
     * days, due the next Friday at 23:59:59, or the Monday after should a holiday fall between.
     */
    static Instant endOfBusinessDaysAfter(Instant from, int days, BusinessCalendar calendar) {
        ZoneId zone = calendar.zone();
        LocalDate date = from.atZone(zone).toLocalDate();
        int counted = 0;
        while (counted < days) {
            date = date.plusDays(1);
            if (calendar.isBusinessDay(date)) {
                counted++;
            }
        }
        return date.atTime(LocalTime.of(23, 59, 59)).atZone(zone).toInstant();
    }

    /** Monday to Friday, all day, without holidays: the calendar of a department whose own is not known yet. */
    static BusinessCalendar weekdays(ZoneId zone) {
        Map<String, String> weekly = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY).stream().collect(
                Collectors.toMap(day -> day.name().toLowerCase(Locale.ROOT), day -> "00:00-24:00"));
        return BusinessCalendar.of(new BusinessCalendar.Hours(zone.getId(), weekly, List.of()));
    }
}
