package org.city311.contracts;

import java.util.Optional;

/**
 * The unit of a published standard's target ({@code standard.firstAction.unit}, {@code standard.resolution.unit} in
 * the catalog event's schema). Code names a unit from here, never as a literal.
 */
public enum TargetUnit {

    /** Elapsed hours, whatever the clocks or opening hours do. */
    HOURS("hours"),
    /** Hours of the department's open time. */
    BUSINESS_HOURS("business_hours"),
    /** By closing time of the N-th business day. */
    BUSINESS_DAYS("business_days"),
    /** The same local time N days later. */
    CALENDAR_DAYS("calendar_days");

    private final String wireName;

    TargetUnit(String wireName) {
        this.wireName = wireName;
    }

    /** As the catalog file and the catalog event spell it. */
    public String wireName() {
        return wireName;
    }

    /** Counted in the department's business time, so a hold's pause moves it by business time too. */
    public boolean isBusinessTime() {
        return this == BUSINESS_HOURS || this == BUSINESS_DAYS;
    }

    /** The unit spelled so, or empty for an unknown one (and for null). */
    public static Optional<TargetUnit> of(String wireName) {
        for (TargetUnit unit : values()) {
            if (unit.wireName.equals(wireName)) {
                return Optional.of(unit);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
