package org.city311.metrics.goal;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.city311.metrics.goal.GoalProperties.Goal;
import org.city311.metrics.goal.GoalProperties.Guard;
import org.city311.metrics.goal.GoalProperties.Kind;
import org.city311.metrics.goal.GoalProperties.Period;
import org.city311.metrics.servicelevel.ServiceLevelHistory.Window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GoalsTests {

    static final Period PERIOD = new Period(LocalDate.parse("2027-01-01"), LocalDate.parse("2027-04-01"));
    static final Instant FROM = Instant.parse("2027-01-01T00:00:00Z");
    static final Instant TO = Instant.parse("2027-02-01T00:00:00Z");

    @Test
    void shouldRefuseASpeedGoalWithoutAQualityGuard() {
        Goal faster = new Goal("faster", Kind.SERVICE, "Faster", "transportation", "resolution-p90-seconds", null,
                null, 432000.0, null, PERIOD, null);

        assertThatThrownBy(() -> Goals.check(faster)).hasMessageContaining("Goal 'faster'")
                .hasMessageContaining("pair it with a quality guard");
    }

    @Test
    void shouldRefuseAVolumeGoalGuardedByAnotherVolumeOrSpeedMeasure() {
        Goal fewer = new Goal("fewer", Kind.VALUE, "Fewer", "sanitation", "negative-feedback", null, null, null,
                -0.15, PERIOD, new Guard("resolution-p50-seconds", 0, null));

        assertThatThrownBy(() -> Goals.check(fewer)).hasMessageContaining("not a quality measure");
    }

    @Test
    void shouldRefuseAnUnknownMeasureNamingTheKnownOnes() {
        Goal vague = new Goal("vague", Kind.ORIENTATION, "Vague", "parks", "happiness", null, null, 1.0, null,
                PERIOD, null);

        assertThatThrownBy(() -> Goals.check(vague)).hasMessageContaining("no measure 'happiness'")
                .hasMessageContaining("satisfaction-mean");
    }

    @Test
    void shouldAcceptAQualityGoalWithoutAPair() {
        assertThatCode(() -> Goals.check(new Goal("follow-up", Kind.ORIENTATION, "Follow up", "sanitation",
                "followups-on-time-ratio", null, null, 0.95, null, PERIOD, null))).doesNotThrowAnyException();
    }

    @Test
    void shouldTripTheGuardWhenResolutionGetsFasterWhileReopensRise() {
        Goal faster = new Goal("faster", Kind.SERVICE, "Faster", "transportation", "resolution-p90-seconds",
                null, null, 432000.0, null, PERIOD, new Guard("reopen-rate", 0.05, null));
        // baseline: p90 of ten days, 1 reopen in 10 resolutions; now: p90 of seven days, 4 reopens in 10
        Window before = window(10, 864000, 1);
        Window now = window(10, 604800, 4);

        Goals.GoalStatus status = Goals.status(faster, FROM, TO, now, before);

        assertThat(status.baseline()).isEqualTo(864000.0);
        assertThat(status.current()).isEqualTo(604800.0);
        assertThat(status.progressRatio()).isEqualTo(0.6);
        assertThat(status.guard().tripped()).isTrue();
        assertThat(status.guard().reason()).contains("resolution-p90-seconds improved (60% of the way")
                .contains("reopen-rate got worse, from 0.100 to 0.400");
    }

    @Test
    void shouldNotTripTheGuardWhileQualityHolds() {
        Goal faster = new Goal("faster", Kind.SERVICE, "Faster", "transportation", "resolution-p90-seconds",
                null, null, 432000.0, null, PERIOD, new Guard("reopen-rate", 0.05, null));

        Goals.GoalStatus status = Goals.status(faster, FROM, TO, window(10, 604800, 1), window(10, 864000, 1));

        assertThat(status.progressRatio()).isEqualTo(0.6);
        assertThat(status.guard().tripped()).isFalse();
        assertThat(status.guard().reason()).isNull();
    }

    @Test
    void shouldMeasureARelativeTargetFromTheBaseline() {
        Goal fewer = new Goal("fewer", Kind.VALUE, "Fewer complaints", "transportation", "negative-feedback", null,
                null, null, -0.15, PERIOD, new Guard("satisfaction-mean", 0.3, null));
        Window before = complaints(20);
        Window now = complaints(18);

        Goals.GoalStatus status = Goals.status(fewer, FROM, TO, now, before);

        assertThat(status.target()).isEqualTo(17.0);
        assertThat(status.progressRatio()).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
    }

    /** A window of {@code resolved} resolutions (all taking {@code seconds}) of which {@code reopened} reopened. */
    static Window window(int resolved, double seconds, int reopened) {
        Map<String, Map<Map<String, String>, Double>> counts = new HashMap<>();
        counts.put("city311_requests_resolved", Map.of(Map.of("department", "transportation", "segment", "resident"),
                (double) resolved));
        counts.put("city311_requests_reopened", Map.of(Map.of("department", "transportation"), (double) reopened));
        List<Double> observed = new ArrayList<>();
        for (int i = 0; i < resolved; i++) {
            observed.add(seconds);
        }
        Map<String, Map<Map<String, String>, List<Double>>> observations = Map.of("city311_resolution_seconds",
                Map.of(Map.of("department", "transportation", "service_code", "pothole"), observed));
        return new Window(FROM, TO, counts, observations, Map.of(), Map.of());
    }

    static Window complaints(int opened) {
        return new Window(FROM, TO, Map.of("city311_followups_opened", Map.of(
                Map.of("department", "transportation", "reason", "low_satisfaction"), (double) opened)), Map.of(),
                Map.of(), Map.of());
    }
}
