package org.city311.feedback.followup;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.city311.platform.calendar.BusinessCalendar;

import static org.assertj.core.api.Assertions.assertThat;

class BusinessDaysTests {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    /** Before a department's calendar is known. */
    private static final BusinessCalendar WEEKDAYS = BusinessDays.weekdays(NEW_YORK);
    /** Transportation as the sample city publishes it: Monday to Friday, 08:00-17:00, Thanksgiving (26 Nov) off. */
    static final BusinessCalendar TRANSPORTATION = BusinessCalendar.of(new BusinessCalendar.Hours("America/New_York",
            Map.of("monday", "08:00-17:00", "tuesday", "08:00-17:00", "wednesday", "08:00-17:00", "thursday",
                    "08:00-17:00", "friday", "08:00-17:00"), List.of("2026-11-26", "2026-12-25", "2027-01-01")));

    @Test
    void shouldBeDueAtTheEndOfTheFifthWeekdayAfterTheDayItOpened() {
        // Monday 2026-11-23, 10:00 in New York
        Instant due = BusinessDays.endOfBusinessDaysAfter(Instant.parse("2026-11-23T15:00:00Z"), 5, WEEKDAYS);

        assertThat(due).isEqualTo(Instant.parse("2026-12-01T04:59:59Z")); // Monday 2026-11-30, 23:59:59 EST
    }

    @Test
    void shouldSkipTheWeekend() {
        // Friday 2026-11-27 at 16:30 in New York: Mon, Tue, Wed, Thu, Fri
        Instant due = BusinessDays.endOfBusinessDaysAfter(Instant.parse("2026-11-27T21:30:00Z"), 5, WEEKDAYS);

        assertThat(due).isEqualTo(Instant.parse("2026-12-05T04:59:59Z")); // Friday 2026-12-04, 23:59:59 EST
    }

    @Test
    void shouldCountFromTheCitysDayNotUtcs() {
        // Saturday 2026-11-28 at 02:00 UTC is still Friday evening in New York
        Instant due = BusinessDays.endOfBusinessDaysAfter(Instant.parse("2026-11-28T02:00:00Z"), 1, WEEKDAYS);

        assertThat(due).isEqualTo(Instant.parse("2026-12-01T04:59:59Z")); // Monday 2026-11-30
    }

    @Test
    void shouldKeepTheCityClockAcrossDaylightSavingTime() {
        // Friday 2027-03-12 in New York; clocks go forward on Sunday 14 March
        Instant due = BusinessDays.endOfBusinessDaysAfter(Instant.parse("2027-03-12T15:00:00Z"), 1, WEEKDAYS);

        assertThat(due).isEqualTo(Instant.parse("2027-03-16T03:59:59Z")); // Monday 15 March, 23:59:59 EDT
    }

    @Test
    void shouldSkipTheDepartmentsHolidays() {
        // Monday 2026-11-23, 10:00 in New York: Tue, Wed, (Thanksgiving), Fri, Mon, Tue
        Instant due = BusinessDays.endOfBusinessDaysAfter(Instant.parse("2026-11-23T15:00:00Z"), 5, TRANSPORTATION);

        assertThat(due).isEqualTo(Instant.parse("2026-12-02T04:59:59Z")); // Tuesday 2026-12-01, 23:59:59 EST
    }

    @Test
    void shouldCountTheWeekendForADepartmentOpenEveryDay() {
        // the 311 desk works every day, without holidays: Friday 2026-11-27 plus 5 days is Wednesday
        BusinessCalendar everyDay = BusinessCalendar.aroundTheClock(NEW_YORK);

        Instant due = BusinessDays.endOfBusinessDaysAfter(Instant.parse("2026-11-27T21:30:00Z"), 5, everyDay);

        assertThat(due).isEqualTo(Instant.parse("2026-12-03T04:59:59Z")); // Wednesday 2026-12-02, 23:59:59 EST
    }

    @Test
    void shouldCountTheDaysOfTheDepartmentsZone() {
        // a department in Los Angeles: Friday 2026-11-27 at 22:30 there is Saturday in New York
        BusinessCalendar losAngeles = BusinessCalendar.of(new BusinessCalendar.Hours("America/Los_Angeles",
                Map.of("monday", "09:00-17:00", "tuesday", "09:00-17:00", "wednesday", "09:00-17:00", "thursday",
                        "09:00-17:00", "friday", "09:00-17:00"), List.of()));

        Instant due = BusinessDays.endOfBusinessDaysAfter(Instant.parse("2026-11-28T06:30:00Z"), 1, losAngeles);

        assertThat(due).isEqualTo(Instant.parse("2026-12-01T07:59:59Z")); // Monday 2026-11-30, 23:59:59 PST
    }
}
