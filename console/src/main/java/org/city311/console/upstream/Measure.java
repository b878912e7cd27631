package org.city311.console.upstream;

/**
 * The scorecard measures the console shows, by their names in metrics-service's scorecards ({@code measures} of
 * {@code GET /api/scorecards}, metrics-service's {@code scorecard.Measure}, whose {@code ConsoleMeasuresTests} checks
 * each name): charts look a measure up by its constant and pages by {@code Levels.DepartmentScorecard}'s method of
 * the same name, so a misspelt one fails to compile or to render (the browser test renders both pages; CI requires
 * it) instead of showing "—".
 */
public enum Measure {

    ROUTED("routed"),
    RESOLVED("resolved"),
    REOPENED("reopened"),
    FIRST_ACTIONS_WITHIN_STANDARD_RATIO("first-actions-within-standard-ratio"),
    RESOLVED_WITHIN_STANDARD_RATIO("resolved-within-standard-ratio"),
    SATISFACTION_MEAN("satisfaction-mean"),
    ROUTED_RIGHT_FIRST_TIME_RATIO("routed-right-first-time-ratio"),
    MISROUTED_AT_INTAKE("misrouted-at-intake");

    private final String key;

    Measure(String key) {
        this.key = key;
    }

    /** Its name in metrics-service's answers. */
    public String key() {
        return key;
    }
}
