package org.city311.metrics.goal;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The city's goals (application.yml, {@code city311.metrics.goals}), of the three kinds the practice describes:
 * service goals (how well a service is delivered), value goals (what it achieves for residents: fewer complaints
 * of poor contractor work, say) and orientation goals (how the organisation works: following up every complaint).
 *
 * @param goals the goals; each is checked when the service starts, and a bad one stops it with the reason
 * @param refresh how often the goal gauges are computed again
 */
@ConfigurationProperties("city311.metrics")
record GoalProperties(List<Goal> goals, @DefaultValue("5m") Duration refresh) {

    GoalProperties {
        goals = goals == null ? List.of() : List.copyOf(goals);
    }

    enum Kind { SERVICE, VALUE, ORIENTATION }

    /**
     * @param id a short code, the {@code goal} label of the gauges
     * @param department the owner department: the goal is measured on its requests
     * @param measure a scorecard measure (see {@code Measure}), e.g. {@code resolution-p90-seconds}
     * @param baseline where it started; when absent, the measure over {@code baselinePeriod}
     * @param baselinePeriod when absent, the period of the same length just before {@code period}
     * @param target the value to reach by the end of {@code period}; or {@code targetChange}
     * @param targetChange the change to reach, relative to the baseline: -0.15 for "reduce by 15%"
     * @param guard the quality measure that must not get worse meanwhile; required for speed and volume goals
     */
    record Goal(String id, Kind kind, String title, String department, String measure, Double baseline,
            Period baselinePeriod, Double target, Double targetChange, Period period, Guard guard) {
    }

    /** [from, to): dates, UTC. */
    record Period(LocalDate from, LocalDate to) {
    }

    /**
     * @param measure a quality measure (reopen-rate, satisfaction-mean, resolved-yes-rate, ...)
     * @param threshold how much worse than its baseline it may get before the guard trips (in the measure's units)
     * @param baseline where it started; when absent, measured over the goal's baseline period
     */
    record Guard(String measure, double threshold, Double baseline) {
    }
}
