package org.city311.platform.calendar;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.city311.platform.calendar.SampleHours.NEW_YORK;
import static org.city311.platform.calendar.SampleHours.at;
import static org.city311.platform.calendar.SampleHours.calendar;
import static org.city311.platform.calendar.SampleHours.days;

class BusinessCalendarTests {

    @ParameterizedTest(name = "{0} at {1}: open {2}")
    @CsvSource({
            "transportation, 2026-01-09T08:00-05:00, true",    // Friday, opening time included
            "transportation, 2026-01-09T07:59-05:00, false",
            "transportation, 2026-01-09T16:59-05:00, true",
            "transportation, 2026-01-09T17:00-05:00, false",   // closing time excluded
            "transportation, 2026-01-10T10:00-05:00, false",   // Saturday
            "transportation, 2026-01-19T10:00-05:00, false",   // Martin Luther King Jr. Day
            "transportation, 2026-11-26T10:00-05:00, false",   // Thanksgiving
            "sanitation,     2026-01-10T21:59-05:00, true",    // Saturday evening
            "sanitation,     2026-01-11T10:00-05:00, false",   // Sunday
            "police,         2026-01-11T03:00-05:00, true",    // around the clock
            "police,         2026-11-26T03:00-05:00, true",    // no holidays
    })
    void shouldBeOpenOnlyDuringPublishedHoursOutsideHolidays(String department, String instant, boolean open) {
        assertThat(calendar(department).isOpen(at(instant))).isEqualTo(open);
    }

    @ParameterizedTest(name = "{0}: {1} + {2} business time = {3}")
    @CsvSource({
            "transportation, 2026-01-13T16:00-05:00, PT2H,  2026-01-14T09:00-05:00",  // across a night
            "transportation, 2026-01-09T15:00-05:00, PT4H,  2026-01-12T10:00-05:00",  // across a weekend
            "transportation, 2026-01-10T10:00-05:00, PT1H,  2026-01-12T09:00-05:00",  // Saturday counts from Monday 08:00
            "transportation, 2026-01-13T06:00-05:00, PT1H,  2026-01-13T09:00-05:00",  // before opening
            "transportation, 2026-01-16T16:00-05:00, PT3H,  2026-01-20T10:00-05:00",  // holiday Monday skipped
            "transportation, 2026-01-09T17:00-05:00, PT9H,  2026-01-12T17:00-05:00",  // a whole day ends at closing
            "transportation, 2026-01-13T10:00-05:00, PT0S,  2026-01-13T10:00-05:00",
            "transportation, 2026-10-30T16:00-04:00, PT2H,  2026-11-02T09:00-05:00",  // weekend the clocks go back
            "sanitation,     2026-01-10T21:00-05:00, PT2H,  2026-01-12T07:00-05:00",  // Saturday night, closed Sunday
            "sanitation,     2026-01-09T20:00-05:00, PT12H, 2026-01-10T16:00-05:00",  // Friday night into Saturday
            "police,         2026-10-31T22:00-04:00, PT4H,  2026-11-01T01:00-05:00",  // around the clock = elapsed
    })
    void shouldAddOnlyOpenTime(String department, String start, Duration businessTime, String expected) {
        assertThat(calendar(department).addBusinessTime(at(start), businessTime)).isEqualTo(at(expected));
    }

    @ParameterizedTest(name = "{0}: open time from {1} to {2} = {3}")
    @CsvSource({
            "transportation, 2026-01-09T12:00-05:00, 2026-01-12T12:00-05:00, PT9H",   // Friday noon to Monday noon
            "transportation, 2026-01-09T08:00-05:00, 2026-01-12T08:00-05:00, PT9H",
            "transportation, 2026-01-16T12:00-05:00, 2026-01-20T12:00-05:00, PT9H",   // long weekend
            "transportation, 2026-10-30T12:00-04:00, 2026-11-02T12:00-05:00, PT9H",   // weekend the clocks go back
            "transportation, 2026-01-10T09:00-05:00, 2026-01-11T18:00-05:00, PT0S",   // all weekend
            "transportation, 2026-01-05T08:00-05:00, 2026-01-12T08:00-05:00, PT45H",  // a working week
            "sanitation,     2026-01-09T12:00-05:00, 2026-01-12T12:00-05:00, PT32H",  // 10 Fri + 16 Sat + 6 Mon
            "police,         2026-01-09T12:00-05:00, 2026-01-12T12:00-05:00, PT72H",
            "transportation, 2026-01-12T12:00-05:00, 2026-01-09T12:00-05:00, PT-9H",  // reversed, like Duration
    })
    void shouldMeasureOnlyOpenTimeBetweenTwoInstants(String department, String from, String to, Duration expected) {
        assertThat(calendar(department).businessTimeBetween(at(from), at(to))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "open {0} on {1}: {2}")
    @CsvSource({
            "00:00-24:00, 2026-03-08, PT23H",    // spring forward
            "00:00-24:00, 2026-11-01, PT25H",    // fall back
            "08:00-17:00, 2026-03-08, PT9H",
            "08:00-17:00, 2026-11-01, PT9H",
            "02:30-10:00, 2026-03-08, PT6H30M",  // 02:30 does not exist: opens when the clocks reach 03:30
            "01:00-09:00, 2026-11-01, PT9H",     // 01:00 happens twice: opens at the first
    })
    void shouldReadOpeningHoursOnTheWallClockWhenTheClocksChange(String hours, LocalDate sunday, Duration open) {
        BusinessCalendar calendar = BusinessCalendar.of(new BusinessCalendar.Hours(NEW_YORK, days(hours, "sunday"), List.of()));
        ZoneId zone = calendar.zone();

        Duration measured = calendar.businessTimeBetween(sunday.atStartOfDay(zone).toInstant(),
                sunday.plusDays(1).atStartOfDay(zone).toInstant());

        assertThat(measured).isEqualTo(open);
        assertThat(calendar.addBusinessTime(sunday.atStartOfDay(zone).toInstant(), open))
                .isEqualTo(calendar.addBusinessDays(sunday.atStartOfDay(zone).toInstant(), 0));
    }

    @ParameterizedTest(name = "{0}: received {1}, {2} business days: due {3}")
    @CsvSource({
            "transportation, 2026-01-09T16:55-05:00, 2,  2026-01-13T17:00-05:00",  // Friday before closing counts Friday
            "transportation, 2026-01-09T17:00-05:00, 2,  2026-01-14T17:00-05:00",  // at closing counts from Monday
            "transportation, 2026-01-09T17:30-05:00, 2,  2026-01-14T17:00-05:00",  // after closing counts from Monday
            "transportation, 2026-01-10T11:00-05:00, 2,  2026-01-14T17:00-05:00",  // Saturday counts as Monday
            "transportation, 2026-01-13T07:00-05:00, 2,  2026-01-15T17:00-05:00",  // before opening counts that day
            "transportation, 2026-01-13T10:00-05:00, 0,  2026-01-13T17:00-05:00",  // zero: by closing the same day
            "transportation, 2026-01-16T16:55-05:00, 2,  2026-01-21T17:00-05:00",  // holiday Monday skipped
            "transportation, 2026-01-16T17:30-05:00, 2,  2026-01-22T17:00-05:00",  // counts from Tuesday after the holiday
            "transportation, 2026-01-19T10:00-05:00, 2,  2026-01-22T17:00-05:00",  // received on the holiday
            "transportation, 2026-11-24T10:00-05:00, 2,  2026-11-27T17:00-05:00",  // Thanksgiving Thursday skipped
            "transportation, 2026-11-25T18:00-05:00, 2,  2026-12-01T17:00-05:00",  // Wednesday evening before Thanksgiving
            "transportation, 2026-11-20T09:00-05:00, 5,  2026-11-30T17:00-05:00",  // a week across Thanksgiving
            "transportation, 2026-10-30T10:00-04:00, 1,  2026-11-02T17:00-05:00",  // the clocks go back at the weekend
            "sanitation,     2026-01-10T11:00-05:00, 2,  2026-01-13T22:00-05:00",  // Saturday is a business day
            "sanitation,     2026-01-10T23:00-05:00, 2,  2026-01-14T22:00-05:00",  // after closing Saturday: Monday
            "police,         2026-01-12T10:00-05:00, 2,  2026-01-15T00:00-05:00",  // end of Wednesday
            "police,         2026-01-10T10:00-05:00, 1,  2026-01-12T00:00-05:00",  // weekends count
    })
    void shouldBeDueByClosingOfTheNthBusinessDayAfterTheDayReceived(String department, String received, int days,
            String due) {
        assertThat(calendar(department).addBusinessDays(at(received), days)).isEqualTo(at(due));
    }

    @Test
    void shouldWorkAroundTheClockInUtcWithoutPublishedHours() {
        BusinessCalendar calendar = BusinessCalendar.of(null);
        Instant sundayNight = Instant.parse("2026-01-11T03:00:00Z");

        assertThat(calendar.zone()).isEqualTo(ZoneOffset.UTC);
        assertThat(calendar.isOpen(sundayNight)).isTrue();
        assertThat(calendar.addBusinessTime(sundayNight, Duration.ofHours(30)))
                .isEqualTo(sundayNight.plus(Duration.ofHours(30)));
        assertThat(calendar.businessTimeBetween(sundayNight, sundayNight.plus(Duration.ofDays(3))))
                .isEqualTo(Duration.ofDays(3));
    }

    @Test
    void shouldCountCalendarHoursAsBusinessHoursForADepartmentOpenAroundTheClock() {
        BusinessCalendar police = calendar("police");
        Instant saturdayNight = at("2026-10-31T22:00-04:00");

        for (int hours = 0; hours <= 72; hours++) {
            Instant elapsed = saturdayNight.plus(Duration.ofHours(hours));
            assertThat(police.addBusinessTime(saturdayNight, Duration.ofHours(hours))).isEqualTo(elapsed);
            assertThat(police.businessTimeBetween(saturdayNight, elapsed)).isEqualTo(Duration.ofHours(hours));
        }
    }

    @Test
    void shouldFindTheOpenTimeItAddedWhenMeasuredBack() {
        BusinessCalendar sanitation = calendar("sanitation");
        Instant start = at("2026-11-24T13:17-05:00");

        for (int minutes = 0; minutes <= 5 * 24 * 60; minutes += 37) {
            Instant end = sanitation.addBusinessTime(start, Duration.ofMinutes(minutes));
            assertThat(sanitation.businessTimeBetween(start, end)).isEqualTo(Duration.ofMinutes(minutes));
        }
    }

    @Test
    void shouldExposeTheWeekAsPublished() {
        BusinessCalendar transportation = calendar("transportation");
        BusinessCalendar police = calendar("police");

        assertThat(transportation.zone()).isEqualTo(ZoneId.of(NEW_YORK));
        assertThat(transportation.opening(DayOfWeek.MONDAY)).hasValue(
                new BusinessCalendar.Opening(LocalTime.of(8, 0), LocalTime.of(17, 0)));
        assertThat(transportation.opening(DayOfWeek.SATURDAY)).isEmpty();
        assertThat(transportation.holidays()).contains(LocalDate.of(2026, 1, 19), LocalDate.of(2026, 11, 26));
        assertThat(transportation.isBusinessDay(LocalDate.of(2026, 11, 26))).isFalse();
        assertThat(transportation.isBusinessDay(LocalDate.of(2026, 11, 27))).isTrue();
        assertThat(police.opening(DayOfWeek.SUNDAY)).get().satisfies(sunday -> {
            assertThat(sunday.closesAtMidnight()).isTrue();
            assertThat(sunday).hasToString("00:00-24:00");
        });
    }

    static Stream<Arguments> invalidHours() {
        Map<String, String> weekdays = days("08:00-17:00", "monday", "tuesday", "wednesday", "thursday", "friday");
        return Stream.of(
                Arguments.of(new BusinessCalendar.Hours(NEW_YORK, days("08:00-17:00", "mon"), List.of()),
                        "unknown day 'mon'"),
                Arguments.of(new BusinessCalendar.Hours(NEW_YORK, days("08:00-17:00", "Monday"), List.of()),
                        "unknown day 'Monday'"),
                Arguments.of(new BusinessCalendar.Hours(NEW_YORK, days("8am-5pm", "monday"), List.of()),
                        "monday hours '8am-5pm' are not HH:MM-HH:MM"),
                Arguments.of(new BusinessCalendar.Hours(NEW_YORK, days("08:00 to 17:00", "monday"), List.of()),
                        "monday hours '08:00 to 17:00' are not HH:MM-HH:MM"),
                Arguments.of(new BusinessCalendar.Hours(NEW_YORK, days("08:00-25:00", "monday"), List.of()),
                        "monday hours '08:00-25:00' are not times of day"),
                Arguments.of(new BusinessCalendar.Hours(NEW_YORK, days("08:60-17:00", "monday"), List.of()),
                        "monday hours '08:60-17:00' are not times of day"),
                Arguments.of(new BusinessCalendar.Hours(NEW_YORK, days("24:00-24:00", "monday"), List.of()),
                        "monday hours '24:00-24:00' are not times of day"),
                Arguments.of(new BusinessCalendar.Hours(NEW_YORK, days("17:00-08:00", "friday"), List.of()),
                        "friday hours '17:00-08:00' do not close after they open"),
                Arguments.of(new BusinessCalendar.Hours(NEW_YORK, days("08:00-08:00", "friday"), List.of()),
                        "friday hours '08:00-08:00' do not close after they open"),
                Arguments.of(new BusinessCalendar.Hours(NEW_YORK, Map.of(), List.of()),
                        "no opening hours on any day"),
                Arguments.of(new BusinessCalendar.Hours("America/Springfield", weekdays, List.of()),
                        "unknown time zone 'America/Springfield'"),
                Arguments.of(new BusinessCalendar.Hours("EST5EDT6", weekdays, List.of()),
                        "unknown time zone 'EST5EDT6'"),
                Arguments.of(new BusinessCalendar.Hours(null, weekdays, List.of()),
                        "no time zone"),
                Arguments.of(new BusinessCalendar.Hours(NEW_YORK, weekdays, List.of("11/26/2026")),
                        "holiday '11/26/2026' is not an ISO date"),
                Arguments.of(new BusinessCalendar.Hours(NEW_YORK, weekdays, List.of("2026-02-30")),
                        "holiday '2026-02-30' is not an ISO date"),
                Arguments.of(new BusinessCalendar.Hours(NEW_YORK, weekdays, List.of("Thanksgiving")),
                        "holiday 'Thanksgiving' is not an ISO date"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalidHours")
    void shouldRefuseInvalidHoursNamingTheProblem(BusinessCalendar.Hours hours, String problem) {
        assertThatIllegalArgumentException().isThrownBy(() -> BusinessCalendar.of(hours))
                .withMessageContaining(problem);
    }

    @Test
    void shouldNameEveryProblemAtOnce() {
        Map<String, String> weekly = days("08:00-17:00", "monday", "tuesday");
        weekly.put("tuseday", "08:00-17:00");
        weekly.put("friday", "17:00-08:00");
        BusinessCalendar.Hours hours = new BusinessCalendar.Hours("Mars/Olympus_Mons", weekly, List.of("2026-13-01"));

        assertThatIllegalArgumentException().isThrownBy(() -> BusinessCalendar.of(hours))
                .withMessageContaining("unknown time zone 'Mars/Olympus_Mons'")
                .withMessageContaining("unknown day 'tuseday'")
                .withMessageContaining("friday hours '17:00-08:00' do not close after they open")
                .withMessageContaining("holiday '2026-13-01' is not an ISO date");
    }

    @Test
    void shouldRefuseToAddOrCountNegativeAmounts() {
        BusinessCalendar transportation = calendar("transportation");
        Instant monday = at("2026-01-12T10:00-05:00");

        assertThatIllegalArgumentException()
                .isThrownBy(() -> transportation.addBusinessTime(monday, Duration.ofHours(-1)));
        assertThatIllegalArgumentException().isThrownBy(() -> transportation.addBusinessDays(monday, -1));
    }
}
