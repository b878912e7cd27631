package org.city311.routing.calendar;

import java.time.Duration;
import java.time.Instant;

import org.city311.platform.calendar.BusinessCalendar;
import org.city311.routing.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.city311.platform.calendar.SampleHours.at;
import static org.city311.platform.calendar.SampleHours.calendar;

class DueTimesTests {

    @ParameterizedTest(name = "{0}: received {1}, {2} {3}: due {4}")
    @CsvSource({
            // the streetlight standard, first action in 2 business days
            "transportation, 2026-01-09T16:55-05:00, 2,  business_days,  2026-01-13T17:00-05:00",  // Friday 16:55: Tuesday
            "transportation, 2026-01-09T17:30-05:00, 2,  business_days,  2026-01-14T17:00-05:00",  // after closing: Wednesday
            "transportation, 2026-01-10T09:00-05:00, 2,  business_days,  2026-01-14T17:00-05:00",  // Saturday: Wednesday
            "transportation, 2026-01-16T16:55-05:00, 2,  business_days,  2026-01-21T17:00-05:00",  // MLK Monday skipped
            "transportation, 2026-11-24T10:00-05:00, 2,  business_days,  2026-11-27T17:00-05:00",  // Thanksgiving skipped
            "transportation, 2026-11-25T18:00-05:00, 2,  business_days,  2026-12-01T17:00-05:00",
            "transportation, 2026-11-20T11:00-05:00, 10, business_days,  2026-12-07T17:00-05:00",  // resolution
            // business hours across a night, a weekend, a holiday
            "transportation, 2026-01-13T15:00-05:00, 4,  business_hours, 2026-01-14T10:00-05:00",
            "transportation, 2026-01-09T15:00-05:00, 4,  business_hours, 2026-01-12T10:00-05:00",
            "transportation, 2026-11-25T15:00-05:00, 4,  business_hours, 2026-11-27T10:00-05:00",
            "sanitation,     2026-01-10T20:00-05:00, 4,  business_hours, 2026-01-12T08:00-05:00",
            // calendar hours: elapsed time, whatever the clocks say
            "transportation, 2026-01-09T16:55-05:00, 4,  hours,          2026-01-09T20:55-05:00",
            "police,         2026-10-31T22:00-04:00, 4,  hours,          2026-11-01T01:00-05:00",  // fall back
            "police,         2026-03-07T23:00-05:00, 4,  hours,          2026-03-08T04:00-04:00",  // spring forward
            // calendar days: same local time, whatever the day's length
            "police,         2026-10-31T10:00-04:00, 1,  calendar_days,  2026-11-01T10:00-05:00",  // 25 hours
            "police,         2026-03-07T10:00-05:00, 1,  calendar_days,  2026-03-08T10:00-04:00",  // 23 hours
            "transportation, 2026-10-25T09:30-04:00, 10, calendar_days,  2026-11-04T09:30-05:00",  // closed days count
            "police,         2026-03-07T02:30-05:00, 1,  calendar_days,  2026-03-08T03:30-04:00",  // 02:30 skipped
            // a department open around the clock: business units are calendar units
            "police,         2026-10-31T22:00-04:00, 4,  business_hours, 2026-11-01T01:00-05:00",
            "police,         2026-03-07T23:00-05:00, 4,  business_hours, 2026-03-08T04:00-04:00",
            "police,         2026-11-26T10:00-05:00, 1,  business_days,  2026-11-28T00:00-05:00",  // end of Friday
    })
    void shouldBeDueAsTheStandardCountsTime(String department, String received, int amount, String unit,
            String due) {
        Catalog.Target target = new Catalog.Target(amount, unit);

        assertThat(DueTimes.due(at(received), target, calendar(department))).isEqualTo(at(due));
    }

    @Test
    void shouldCountCalendarDaysAsDaysOfDifferentLengthAcrossTheClockChange() {
        Instant saturday = at("2026-10-31T10:00-04:00");

        Instant due = DueTimes.due(saturday, new Catalog.Target(1, "calendar_days"), calendar("police"));

        assertThat(Duration.between(saturday, due)).isEqualTo(Duration.ofHours(25));
    }

    @Test
    void shouldExtendAStreetlightDueTimeByAThreeBusinessHourHoldOverAWeekend() {
        BusinessCalendar transportation = calendar("transportation");
        Catalog.Target firstAction = new Catalog.Target(2, "business_days");
        Instant due = DueTimes.due(at("2026-01-09T10:00-05:00"), firstAction, transportation);

        // waiting for the resident from Friday 15:00 to Monday 09:00: two open hours on Friday, one on Monday
        Duration held = transportation.businessTimeBetween(at("2026-01-09T15:00-05:00"), at("2026-01-12T09:00-05:00"));

        assertThat(due).isEqualTo(at("2026-01-13T17:00-05:00"));
        assertThat(held).isEqualTo(Duration.ofHours(3));
        assertThat(DueTimes.dueAfterHolds(due, held, firstAction, transportation))
                .isEqualTo(at("2026-01-14T11:00-05:00"));
    }

    @ParameterizedTest(name = "{3} {4}: due {1} held {2}: now due {5}")
    @CsvSource({
            "transportation, 2026-01-12T10:00-05:00, PT3H, 4,  business_hours, 2026-01-12T13:00-05:00",
            "transportation, 2026-01-16T16:00-05:00, PT3H, 4,  business_hours, 2026-01-20T10:00-05:00",  // MLK
            "transportation, 2026-11-25T17:00-05:00, PT3H, 2,  business_days,  2026-11-27T11:00-05:00",  // Thanksgiving
            "sanitation,     2026-01-10T21:00-05:00, PT3H, 2,  business_days,  2026-01-12T08:00-05:00",
            "transportation, 2026-01-09T20:55-05:00, PT3H, 4,  hours,          2026-01-09T23:55-05:00",
            "police,         2026-10-31T23:30-04:00, PT3H, 5,  calendar_days,  2026-11-01T01:30-05:00",  // elapsed
            "transportation, 2026-01-13T17:00-05:00, PT0S, 2,  business_days,  2026-01-13T17:00-05:00",
    })
    void shouldPushTheDueTimeLaterByTheTimeOnHold(String department, String due, Duration held, int amount,
            String unit, String expected) {
        Catalog.Target target = new Catalog.Target(amount, unit);

        assertThat(DueTimes.dueAfterHolds(at(due), held, target, calendar(department))).isEqualTo(at(expected));
    }

    @Test
    void shouldHaveNoDueTimeWithoutATarget() {
        Instant received = at("2026-01-09T16:55-05:00");

        assertThat(DueTimes.due(received, null, calendar("transportation"))).isNull();
        assertThat(DueTimes.dueAfterHolds(received, Duration.ofHours(3), null, calendar("transportation")))
                .isNull();
    }

    @Test
    void shouldTellBusinessUnitsFromCalendarUnits() {
        assertThat(DueTimes.isBusinessUnit(new Catalog.Target(2, "business_days"))).isTrue();
        assertThat(DueTimes.isBusinessUnit(new Catalog.Target(4, "business_hours"))).isTrue();
        assertThat(DueTimes.isBusinessUnit(new Catalog.Target(4, "hours"))).isFalse();
        assertThat(DueTimes.isBusinessUnit(new Catalog.Target(5, "calendar_days"))).isFalse();
    }

    @Test
    void shouldRefuseAnUnknownUnitOrANegativeHold() {
        Instant received = at("2026-01-09T16:55-05:00");
        BusinessCalendar transportation = calendar("transportation");

        assertThatIllegalArgumentException()
                .isThrownBy(() -> DueTimes.due(received, new Catalog.Target(2, "weeks"), transportation))
                .withMessageContaining("unknown unit 'weeks'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DueTimes.dueAfterHolds(received, Duration.ofHours(3),
                        new Catalog.Target(2, "fortnights"), transportation))
                .withMessageContaining("unknown unit 'fortnights'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DueTimes.dueAfterHolds(received, Duration.ofHours(-3),
                        new Catalog.Target(2, "business_days"), transportation))
                .withMessageContaining("negative");
    }
}
