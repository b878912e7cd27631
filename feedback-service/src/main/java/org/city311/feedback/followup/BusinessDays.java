package org.city311.feedback.followup;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * Due dates in plain business days: Monday to Friday in the city's time zone. Public holidays and the departments'
 * own hours are not known to feedback-service, so they count as business days here.
 */
final class BusinessDays {

    private BusinessDays() {
    }

    /**
     * The end of the {@code days}-th business day after the day of {@code from} (that day itself does not count,
     * whether or not it is a business day): opened on a Friday afternoon with 5 days, due the next Friday at
     * 23:59:59 city time.
     */
    static Instant endOfBusinessDaysAfter(Instant from, int days, ZoneId zone) {
        LocalDate date = from.atZone(zone).toLocalDate();
        int counted = 0;
        while (counted < days) {
            date = date.plusDays(1);
            if (date.getDayOfWeek() != DayOfWeek.SATURDAY && date.getDayOfWeek() != DayOfWeek.SUNDAY) {
                counted++;
            }
        }
        return date.atTime(LocalTime.of(23, 59, 59)).atZone(zone).toInstant();
    }
}
