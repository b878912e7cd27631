package org.city311.routing.calendar;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.city311.contracts.TargetUnit;
import org.city311.platform.calendar.BusinessCalendar;
import org.city311.routing.catalog.Catalog;

/**
 * When a published standard ({@link Catalog.Target}) falls due, counted against the owning department's
 * {@link BusinessCalendar}. Pure functions.
 * <ul>
 * <li>{@code hours}: that many elapsed hours after receipt, whatever the clocks or opening hours do;</li>
 * <li>{@code calendar_days}: the same local time that many days later in the calendar's zone (so a day across a
 * DST change lasts 23 or 25 hours);</li>
 * <li>{@code business_hours}: that many hours of the department's open time, counted from the next opening if
 * received while closed ({@link BusinessCalendar#addBusinessTime});</li>
 * <li>{@code business_days}: by closing time of the N-th business day after the day received, a request received
 * after closing or on a closed day counting as received on the next business day
 * ({@link BusinessCalendar#addBusinessDays}).</li>
 * </ul>
 */
public final class DueTimes {

    private DueTimes() {
    }

    /**
     * When a target falls due for a request received at {@code received}.
     *
     * @return the due instant, or {@code null} when there is no target
     * @throws IllegalArgumentException for an unknown unit or a negative amount
     */
    public static Instant due(Instant received, Catalog.Target target, BusinessCalendar calendar) {
        if (target == null) {
            return null;
        }
        Objects.requireNonNull(received, "received");
        Objects.requireNonNull(calendar, "calendar");
        if (target.amount() < 0) {
            throw new IllegalArgumentException("target amount is negative: " + target);
        }
        return switch (unit(target)) {
            case HOURS -> received.plus(Duration.ofHours(target.amount()));
            case CALENDAR_DAYS -> received.atZone(calendar.zone()).plusDays(target.amount()).toInstant();
            case BUSINESS_HOURS -> calendar.addBusinessTime(received, Duration.ofHours(target.amount()));
            case BUSINESS_DAYS -> calendar.addBusinessDays(received, target.amount());
        };
    }

    /**
     * Pushes a due time later by the time a request spent on hold, for standards that pause the clock on hold.
     * For business units ({@code business_hours}, {@code business_days}) the due time moves by
     * {@code heldTime} of open time, counted from the original due time ({@link BusinessCalendar#addBusinessTime});
     * for calendar units ({@code hours}, {@code calendar_days}) it moves by {@code heldTime} of elapsed time.
     * <p>
     * The caller measures the hold to match: with {@link BusinessCalendar#businessTimeBetween} for business units
     * (a hold over a weekend then costs only the open hours it covered), and as a plain {@link Duration#between}
     * for calendar units. {@link #isBusinessUnit} tells which.
     *
     * @param heldTime time on hold, measured as above; {@code null} or zero leaves the due time as it is
     * @return the extended due instant, or {@code null} when there is no target or no original due time
     * @throws IllegalArgumentException for an unknown unit or a negative hold
     */
    public static Instant dueAfterHolds(Instant originalDue, Duration heldTime, Catalog.Target target,
            BusinessCalendar calendar) {
        if (target == null || originalDue == null) {
            return null;
        }
        Objects.requireNonNull(calendar, "calendar");
        boolean business = isBusinessUnit(target);
        if (heldTime == null || heldTime.isZero()) {
            return originalDue;
        }
        if (heldTime.isNegative()) {
            throw new IllegalArgumentException("time on hold is negative: " + heldTime);
        }
        return business ? calendar.addBusinessTime(originalDue, heldTime) : originalDue.plus(heldTime);
    }

    /**
     * Whether a target counts the department's open time ({@code business_hours}, {@code business_days}) rather
     * than elapsed time ({@code hours}, {@code calendar_days}).
     *
     * @throws IllegalArgumentException for an unknown unit
     */
    public static boolean isBusinessUnit(Catalog.Target target) {
        return unit(target).isBusinessTime();
    }

    private static TargetUnit unit(Catalog.Target target) {
        return target.knownUnit().orElseThrow(() -> new IllegalArgumentException("unknown unit '" + target.unit()
                + "' in target " + target + ": use one of " + List.of(TargetUnit.values())));
    }
}
