package org.city311.metrics.scorecard;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.city311.metrics.servicelevel.ServiceLevelHistory.Window;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measures read by the name a scorecard's or a goal's reader types: a renamed key fails here, and so does a
 * definition that mixes audits with what residents said or counts another department.
 */
class MeasureTests {

    static final Instant FROM = Instant.parse("2026-11-01T00:00:00Z");
    static final Instant TO = Instant.parse("2026-12-01T00:00:00Z");

    /** Parks: residents gave 5, 4 (survey), 2 (phone), 4 (comment card); an auditor gave 1 and 3. */
    static final Window PARKS_MONTH = new Window(FROM, TO, Map.of(), Map.of(
            "city311_feedback_satisfaction", Map.of(
                    Map.of("department", "parks", "source", "survey"), List.of(5.0, 4.0),
                    Map.of("department", "parks", "source", "phone"), List.of(2.0),
                    Map.of("department", "parks", "source", "comment_card"), List.of(4.0),
                    Map.of("department", "parks", "source", "audit"), List.of(1.0, 3.0),
                    Map.of("department", "transportation", "source", "survey"), List.of(1.0, 1.0)),
            "city311_first_action_seconds", Map.of(
                    Map.of("department", "parks"), List.of(600.0, 60.0, 7_200.0, 3_600.0),
                    Map.of("department", "transportation"), List.of(1.0))),
            Map.of(), Map.of());

    @Test
    void shouldCountAsSatisfiedTheResidentsWhoGaveFourOrFiveLeavingAuditsOut() {
        Measure satisfied = Measure.byKey("satisfied-ratio");

        assertThat(satisfied).isEqualTo(Measure.SATISFIED_RATIO);
        assertThat(satisfied.of(PARKS_MONTH, "parks")).isEqualTo(0.75);
        assertThat(satisfied.kind()).isEqualTo(Measure.Kind.QUALITY);
        assertThat(satisfied.higherIsBetter()).isTrue();
    }

    @Test
    void shouldAverageTheAuditorsScoresApartFromTheResidents() {
        Measure audits = Measure.byKey("audit-score-mean");

        assertThat(audits).isEqualTo(Measure.AUDIT_SCORE_MEAN);
        assertThat(audits.of(PARKS_MONTH, "parks")).isEqualTo(2.0);
        assertThat(Measure.byKey("satisfaction-mean").of(PARKS_MONTH, "parks")).isEqualTo(3.75);
    }

    @Test
    void shouldTakeTheMedianFirstActionAsATimeSomeRequestReallyWaited() {
        Measure firstAction = Measure.byKey("first-action-p50-seconds");

        assertThat(firstAction).isEqualTo(Measure.FIRST_ACTION_P50_SECONDS);
        // nearest rank of 60, 600, 3600, 7200: the second
        assertThat(firstAction.of(PARKS_MONTH, "parks")).isEqualTo(600.0);
        assertThat(firstAction.kind()).isEqualTo(Measure.Kind.SPEED);
        assertThat(firstAction.higherIsBetter()).isFalse();
    }

    @Test
    void shouldMeasureNothingWhereTheWindowHasNothingToMeasure() {
        assertThat(Measure.byKey("satisfied-ratio").of(PARKS_MONTH, "housing")).isNull();
        assertThat(Measure.byKey("audit-score-mean").of(PARKS_MONTH, "transportation")).isNull();
        assertThat(Measure.byKey("first-action-p50-seconds").of(PARKS_MONTH, "housing")).isNull();
    }
}
