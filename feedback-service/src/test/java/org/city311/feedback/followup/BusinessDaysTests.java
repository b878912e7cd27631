package org.city311.feedback.followup;

import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BusinessDaysTests {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Test
    void shouldBeDueAtTheEndOfTheFifthWeekdayAfterTheDayItOpened() {
        // Monday 2026-11-23, 10:00 in New York
        Instant due = BusinessDays.endOfBusinessDaysAfter(Instant.parse("2026-11-23T15:00:00Z"), 5, NEW_YORK);

        assertThat(due).isEqualTo(Instant.parse("2026-12-01T04:59:59Z")); // Monday 2026-11-30, 23:59:59 EST
    }

    @Test
    void shouldSkipTheWeekend() {
        // Friday 2026-11-27 at 16:30 in New York: Mon, Tue, Wed, Thu, Fri
        Instant due = BusinessDays.endOfBusinessDaysAfter(Instant.parse("2026-11-27T21:30:00Z"), 5, NEW_YORK);

        assertThat(due).isEqualTo(Instant.parse("2026-12-05T04:59:59Z")); // Friday 2026-12-04, 23:59:59 EST
    }

    @Test
    void shouldCountFromTheCitysDayNotUtcs() {
        // Saturday 2026-11-28 at 02:00 UTC is still Friday evening in New York
        Instant due = BusinessDays.endOfBusinessDaysAfter(Instant.parse("2026-11-28T02:00:00Z"), 1, NEW_YORK);

        assertThat(due).isEqualTo(Instant.parse("2026-12-01T04:59:59Z")); // Monday 2026-11-30
    }

    @Test
    void shouldKeepTheCityClockAcrossDaylightSavingTime() {
        // Friday 2027-03-12 in New York; clocks go forward on Sunday 14 March
        Instant due = BusinessDays.endOfBusinessDaysAfter(Instant.parse("2027-03-12T15:00:00Z"), 1, NEW_YORK);

        assertThat(due).isEqualTo(Instant.parse("2027-03-16T03:59:59Z")); // Monday 15 March, 23:59:59 EDT
    }
}
