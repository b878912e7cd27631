package org.city311.metrics.scorecard;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import org.city311.contracts.TransferReason;
import org.city311.metrics.servicelevel.ServiceLevelHistory.Window;

/**
 * Every measure of a department's service level over a window, by the name scorecards and goals use. The
 * definitions are those of the Prometheus recording rules in deploy/prometheus (same numerators, same
 * denominators), so a scorecard and a dashboard agree. {@code null} when the window has nothing to measure.
 */
public enum Measure {

    ROUTED("routed", Kind.VOLUME, null, (w, d) -> w.count("city311_requests_routed", dept(d))),
    RESOLVED("resolved", Kind.VOLUME, null, (w, d) -> w.count("city311_requests_resolved", dept(d))),
    REOPENED("reopened", Kind.VOLUME, false, (w, d) -> w.count("city311_requests_reopened", dept(d))),
    TRANSFERRED_OUT("transferred-out", Kind.VOLUME, false,
            (w, d) -> w.count("city311_requests_transferred", Map.of("from_department", d))),
    TRANSFERRED_IN("transferred-in", Kind.VOLUME, null,
            (w, d) -> w.count("city311_requests_transferred", Map.of("to_department", d))),
    /** Transfers this department made because the filer chose the wrong service: misrouted at intake. */
    MISROUTED_AT_INTAKE("misrouted-at-intake", Kind.VOLUME, false,
            (w, d) -> w.count("city311_requests_misrouted", Map.of("department", d, "reason",
                    TransferReason.WRONG_SERVICE_CHOSEN_AT_INTAKE.wireName()))),
    /** Transfers this department made because the catalog sends the service to the wrong department. */
    MISROUTED_BY_CATALOG("misrouted-by-catalog", Kind.VOLUME, false,
            (w, d) -> w.count("city311_requests_misrouted", Map.of("department", d, "reason",
                    TransferReason.WRONG_DEPARTMENT_IN_CATALOG.wireName()))),
    NEGATIVE_FEEDBACK("negative-feedback", Kind.VOLUME, false,
            (w, d) -> w.count("city311_followups_opened", dept(d))),

    ROUTING_P90_SECONDS("routing-p90-seconds", Kind.SPEED, false,
            (w, d) -> percentile(w.observed("city311_routing_seconds", dept(d)), 0.9)),
    FIRST_ACTION_P50_SECONDS("first-action-p50-seconds", Kind.SPEED, false,
            (w, d) -> percentile(w.observed("city311_first_action_seconds", dept(d)), 0.5)),
    FIRST_ACTION_P90_SECONDS("first-action-p90-seconds", Kind.SPEED, false,
            (w, d) -> percentile(w.observed("city311_first_action_seconds", dept(d)), 0.9)),
    RESOLUTION_P50_SECONDS("resolution-p50-seconds", Kind.SPEED, false,
            (w, d) -> percentile(w.observed("city311_resolution_seconds", dept(d)), 0.5)),
    RESOLUTION_P90_SECONDS("resolution-p90-seconds", Kind.SPEED, false,
            (w, d) -> percentile(w.observed("city311_resolution_seconds", dept(d)), 0.9)),
    RESOLVED_WITHIN_STANDARD_RATIO("resolved-within-standard-ratio", Kind.SPEED, true,
            (w, d) -> ratio(w.count("city311_requests_resolved_within_standard", dept(d)),
                    w.count("city311_requests_resolved_with_standard", dept(d)))),
    FIRST_ACTIONS_WITHIN_STANDARD_RATIO("first-actions-within-standard-ratio", Kind.SPEED, true,
            (w, d) -> ratio(w.count("city311_first_actions_within_standard", dept(d)),
                    w.count("city311_first_actions_with_standard", dept(d)))),
    TRANSFERS_PER_REQUEST("transfers-per-request", Kind.SPEED, false,
            (w, d) -> ratio(w.count("city311_requests_transferred", Map.of("from_department", d)),
                    w.count("city311_requests_routed", dept(d)))),
    ROUTED_RIGHT_FIRST_TIME_RATIO("routed-right-first-time-ratio", Kind.SPEED, true, (w, d) -> {
        Double rerouted = ratio(w.count("city311_requests_rerouted", dept(d)), w.count("city311_requests_routed", dept(d)));
        return rerouted == null ? null : 1 - rerouted;
    }),

    REOPEN_RATE("reopen-rate", Kind.QUALITY, false,
            (w, d) -> ratio(w.count("city311_requests_reopened", dept(d)), w.count("city311_requests_resolved", dept(d)))),
    SATISFACTION_MEAN("satisfaction-mean", Kind.QUALITY, true, (w, d) -> mean(customerScores(w, d))),
    SATISFIED_RATIO("satisfied-ratio", Kind.QUALITY, true, (w, d) -> {
        List<Double> scores = customerScores(w, d);
        return scores.isEmpty() ? null : scores.stream().filter(score -> score >= 4).count() / (double) scores.size();
    }),
    RESOLVED_YES_RATE("resolved-yes-rate", Kind.QUALITY, true, (w, d) -> {
        double yes = 0;
        double all = 0;
        for (String source : Sources.CUSTOMER) {
            yes += w.count("city311_feedback_resolved_answers", Map.of("department", d, "source", source, "answer", "yes"));
            all += w.count("city311_feedback_resolved_answers", Map.of("department", d, "source", source));
        }
        return ratio(yes, all);
    }),
    SURVEY_RESPONSE_RATE("survey-response-rate", Kind.QUALITY, true, (w, d) -> {
        double answered = w.count("city311_feedback_received", Map.of("department", d, "source", "survey"));
        return ratio(answered, answered + w.count("city311_surveys_expired", dept(d)));
    }),
    FOLLOWUPS_ON_TIME_RATIO("followups-on-time-ratio", Kind.QUALITY, true,
            (w, d) -> ratio(w.count("city311_followups_closed", Map.of("department", d, "on_time", "true")),
                    w.count("city311_followups_closed", dept(d)) + w.count("city311_followups_missed", dept(d)))),
    /** Audits (secret-shopper evaluations) are kept apart from what customers said. */
    AUDIT_SCORE_MEAN("audit-score-mean", Kind.QUALITY, true, (w, d) -> mean(w.observed("city311_feedback_satisfaction",
            Map.of("department", d, "source", "audit"))));

    /** Volume and speed goals must be paired with a quality measure: the cobra-effect guard. */
    public enum Kind { VOLUME, SPEED, QUALITY }

    /** Where customers' own words come from; audits are the city's. */
    static final class Sources {
        static final List<String> CUSTOMER = List.of("survey", "phone", "comment_card");

        private Sources() {
        }
    }

    private final String key;
    private final Kind kind;
    private final Boolean higherIsBetter;
    private final BiFunction<Window, String, Double> value;

    Measure(String key, Kind kind, Boolean higherIsBetter, BiFunction<Window, String, Double> value) {
        this.key = key;
        this.kind = kind;
        this.higherIsBetter = higherIsBetter;
        this.value = value;
    }

    public String key() {
        return key;
    }

    public Kind kind() {
        return kind;
    }

    /** Whether more is better; {@code null} where it depends on the goal (how many requests were resolved). */
    public Boolean higherIsBetter() {
        return higherIsBetter;
    }

    public Double of(Window window, String department) {
        return value.apply(window, department);
    }

    public static Measure byKey(String key) {
        for (Measure measure : values()) {
            if (measure.key.equals(key)) {
                return measure;
            }
        }
        throw new IllegalArgumentException("no measure '" + key + "'; known: "
                + java.util.Arrays.stream(values()).map(Measure::key).toList());
    }

    static List<Double> customerScores(Window window, String department) {
        List<Double> scores = new ArrayList<>();
        for (String source : Sources.CUSTOMER) {
            scores.addAll(window.observed("city311_feedback_satisfaction", Map.of("department", department, "source", source)));
        }
        return scores;
    }

    /** Nearest-rank percentile: a value some request really had. */
    static Double percentile(List<Double> values, double quantile) {
        if (values.isEmpty()) {
            return null;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(quantile * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static Double mean(List<Double> values) {
        return values.isEmpty() ? null : values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    private static Double ratio(double numerator, double denominator) {
        return denominator == 0 ? null : numerator / denominator;
    }

    private static Map<String, String> dept(String department) {
        return Map.of("department", department);
    }
}
