package org.city311.console.web;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TimesTests {

    static Times at(String instant) {
        return new Times("America/New_York", Clock.fixed(Instant.parse(instant), ZoneOffset.UTC));
    }

    @Test
    void shouldStartThisMonthAtMidnightInTheCityNotInUtc() {
        // 3 December 2026, 14:00 in New York: the month began on 1 December at 00:00 there, 05:00 UTC
        assertThat(at("2026-12-03T19:00:00Z").monthStart()).isEqualTo(Instant.parse("2026-12-01T05:00:00Z"));
        // 1 December 2026, 02:00 UTC is still 30 November in New York: November's figures
        assertThat(at("2026-12-01T02:00:00Z").monthStart()).isEqualTo(Instant.parse("2026-11-01T04:00:00Z"));
    }

    @Test
    void shouldAskForTheSameWindowAllMonthSoThatMetricsServiceAnswersFromItsCache() {
        assertThat(at("2026-12-10T10:00:00Z").monthStart()).isEqualTo(at("2026-12-20T23:59:00Z").monthStart());
    }

    @Test
    void shouldGiveTheMonthsFirstHourAWindowOfAnHour() {
        // 00:20 on 1 December in New York: the month has 20 minutes, the window starts an hour before, on the hour
        assertThat(at("2026-12-01T05:20:00Z").monthStart()).isEqualTo(Instant.parse("2026-12-01T04:00:00Z"));
    }

    @Test
    void shouldSayHowLateOrHowSoon() {
        Times times = at("2026-12-03T12:00:00Z");
        assertThat(times.until(Instant.parse("2026-12-03T16:00:00Z"))).isEqualTo("in 4 h");
        assertThat(times.until(Instant.parse("2026-11-30T12:00:00Z"))).isEqualTo("3 d late");
        assertThat(times.ago(Instant.parse("2026-12-03T11:55:00Z"))).isEqualTo("5 min ago");
    }
}
