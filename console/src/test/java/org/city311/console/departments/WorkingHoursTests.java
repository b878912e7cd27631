package org.city311.console.departments;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.city311.console.upstream.Catalog;

import static org.assertj.core.api.Assertions.assertThat;

class WorkingHoursTests {

    @Test
    void shouldListTheWorkingDaysMondayFirstAndTheNextDaysClosed() {
        // Transportation's hours as the sample catalog publishes them (the map's order is the file's, or none)
        Catalog.Hours hours = new Catalog.Hours("America/New_York", Map.of("friday", "08:00-17:00", "monday",
                "08:00-17:00", "wednesday", "08:00-12:00"), List.of("2027-01-01", "2026-11-11", "2026-12-25",
                        "2026-11-26", "2027-01-18"));

        WorkingHours.Shown shown = WorkingHours.of(hours, LocalDate.parse("2026-11-20"), 3);

        assertThat(shown.days()).containsExactly("Monday 08:00–17:00", "Wednesday 08:00–12:00",
                "Friday 08:00–17:00");
        // holidays already past are left out; the next three shown, in the calendar's order whatever the file's
        assertThat(shown.closed()).containsExactly("Thursday 26 November", "Friday 25 December", "Friday 1 January");
    }

    @Test
    void shouldSayAroundTheClockForADepartmentThatNeverCloses() {
        Catalog.Hours always = new Catalog.Hours("America/New_York", Map.of("monday", "00:00-24:00", "sunday",
                "00:00-24:00"), List.of());

        assertThat(WorkingHours.of(always, LocalDate.parse("2026-11-20"), 3).days())
                .containsExactly("Monday around the clock", "Sunday around the clock");
        assertThat(WorkingHours.of(null, LocalDate.parse("2026-11-20"), 3).days()).isEmpty();
    }
}
