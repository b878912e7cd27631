package org.city311.console.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FiguresTests {

    final Figures figures = new Figures();

    @Test
    void shouldShowDurationsAsPeopleSayThemAndKeepTheExactSeconds() {
        // given the sample goal "nine in ten street defects within five days": resolution-p90-seconds, 432000
        Figures.Figure target = figures.of("resolution-p90-seconds", 432000.0);

        // then it reads "5 days", and the exact number stays with it
        assertThat(target.text()).isEqualTo("5 days");
        assertThat(target.exact()).isEqualTo("432000");
        assertThat(target.exactWithUnit()).isEqualTo("432000 seconds");
    }

    @Test
    void shouldRoundDurationsToTheirTwoLargestUnits() {
        assertThat(Figures.duration(12000)).isEqualTo("3 h 20 min");
        assertThat(Figures.duration(3600)).isEqualTo("1 h");
        assertThat(Figures.duration(2700)).isEqualTo("45 min");
        assertThat(Figures.duration(45)).isEqualTo("45 s");
        assertThat(Figures.duration(86400)).isEqualTo("1 day");
        assertThat(Figures.duration(187200)).isEqualTo("2 days 4 h");
        assertThat(Figures.duration(424800)).isEqualTo("4 days 22 h");
        assertThat(Figures.duration(431234.5)).isEqualTo("5 days");
    }

    @Test
    void shouldShowRatiosAndRatesAsPercentages() {
        assertThat(figures.of("followups-on-time-ratio", 0.95).text()).isEqualTo("95%");
        assertThat(figures.of("followups-on-time-ratio", 0.95).exact()).isEqualTo("0.95");
        assertThat(figures.of("reopen-rate", 0.05).text()).isEqualTo("5%");
        // a figure near its target is not rounded onto it
        assertThat(figures.of("resolved-within-standard-ratio", 0.955).text()).isEqualTo("95.5%");
    }

    @Test
    void shouldShowScoresCountsAndTheRestInTheirOwnUnits() {
        assertThat(figures.of("satisfaction-mean", 4.25).text()).isEqualTo("4.3 of 5");
        assertThat(figures.of("negative-feedback", 17.0).text()).isEqualTo("17");
        assertThat(figures.of("negative-feedback", 14.45).text()).isEqualTo("14.5");
        assertThat(figures.of("negative-feedback", 14.45).exact()).isEqualTo("14.45");
        assertThat(figures.of("transfers-per-request", 0.125).text()).isEqualTo("0.13 a request");
        assertThat(figures.of("routing-p90-seconds", null).text()).isEqualTo("—");
    }
}
