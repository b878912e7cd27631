package org.city311.platform.calendar;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a department works, as published in its catalog ({@link Hours}): a time zone, one opening interval
 * per weekday, and holidays on which it is closed all day. Business-hour and business-day standards are counted
 * against it.
 * <p>
 * Opening hours are local wall-clock times in the calendar's zone, so on the days clocks change an "08:00-17:00"
 * day still opens at 08:00 and closes at 17:00 local time, and a "00:00-24:00" day lasts 23 or 25 hours. A day
 * whose opening falls in a spring-forward gap opens when the clocks have jumped.
 * <p>
 * A <em>business day</em> is a day on which the department is open: it is not a holiday and its weekday has hours.
 * A department open "00:00-24:00" every day and without holidays works around the clock: its business hours are
 * calendar hours and its business days are calendar days.
 * <p>
 * Immutable and thread-safe; every method is pure arithmetic. Defined once for the platform: routing-service counts
 * due times on it, feedback-service the follow-ups' due dates.
 */
public final class BusinessCalendar {

    /**
     * When a department works, as its catalog entry publishes it: business-hour standards count only these hours.
     *
     * @param weekly opening hours per lower-case day name, as "08:00-17:00"; a day not listed is closed
     * @param holidays ISO dates (2026-11-26) on which it is closed all day
     */
    public record Hours(String timeZone, Map<String, String> weekly, List<String> holidays) {

        public Hours {
            weekly = weekly == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(weekly));
            holidays = holidays == null ? List.of() : List.copyOf(holidays);
        }
    }

    /** Open around the clock, in UTC: the calendar of a department that publishes no hours. */
    public static final BusinessCalendar AROUND_THE_CLOCK_UTC = aroundTheClock(ZoneOffset.UTC);

    private static final Pattern HOURS = Pattern.compile("(\\d{2}):(\\d{2})-(\\d{2}):(\\d{2})");

    private final ZoneId zone;
    private final Map<DayOfWeek, Opening> weekly;
    private final Set<LocalDate> holidays;

    private BusinessCalendar(ZoneId zone, Map<DayOfWeek, Opening> weekly, Set<LocalDate> holidays) {
        this.zone = zone;
        this.weekly = weekly;
        this.holidays = holidays;
    }

    /**
     * The calendar of a department's published hours.
     *
     * @param hours the department's hours; {@code null} means open around the clock in UTC
     * @throws IllegalArgumentException naming every problem: an unknown time zone, an unknown day name, hours that
     *         are not "HH:MM-HH:MM" or do not close after they open, a holiday that is not an ISO date (2026-11-26),
     *         or no open day at all
     */
    public static BusinessCalendar of(Hours hours) {
        if (hours == null) {
            return AROUND_THE_CLOCK_UTC;
        }
        List<String> problems = new ArrayList<>();
        ZoneId zone = zone(hours.timeZone(), problems);
        Map<DayOfWeek, Opening> weekly = new EnumMap<>(DayOfWeek.class);
        hours.weekly().forEach((day, interval) -> {
            Optional<DayOfWeek> dayOfWeek = dayOfWeek(day, problems);
            Optional<Opening> opening = opening(day, interval, problems);
            if (dayOfWeek.isPresent() && opening.isPresent()) {
                weekly.put(dayOfWeek.get(), opening.get());
            }
        });
        if (hours.weekly().isEmpty()) {
            problems.add("no opening hours on any day: a department closed every day can meet no standard");
        }
        Set<LocalDate> holidays = new TreeSet<>();
        for (String holiday : hours.holidays()) {
            try {
                holidays.add(LocalDate.parse(holiday == null ? "" : holiday.trim()));
            }
            catch (DateTimeParseException ex) {
                problems.add("holiday '" + holiday + "' is not an ISO date such as 2026-11-26");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid hours: " + String.join("; ", problems));
        }
        return new BusinessCalendar(zone, Collections.unmodifiableMap(weekly),
                Collections.unmodifiableSet(holidays));
    }

    /** Open "00:00-24:00" every day of the week, without holidays, in the given zone. */
    public static BusinessCalendar aroundTheClock(ZoneId zone) {
        Map<DayOfWeek, Opening> weekly = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek day : DayOfWeek.values()) {
            weekly.put(day, Opening.ALL_DAY);
        }
        return new BusinessCalendar(Objects.requireNonNull(zone, "zone"), Collections.unmodifiableMap(weekly),
                Set.of());
    }

    private static ZoneId zone(String timeZone, List<String> problems) {
        if (timeZone == null || timeZone.isBlank()) {
            problems.add("no time zone: name one such as America/New_York");
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(timeZone.trim());
        }
        catch (DateTimeException ex) {
            problems.add("unknown time zone '" + timeZone + "': name one such as America/New_York");
            return ZoneOffset.UTC;
        }
    }

    private static Optional<DayOfWeek> dayOfWeek(String day, List<String> problems) {
        for (DayOfWeek candidate : DayOfWeek.values()) {
            if (candidate.name().toLowerCase(Locale.ROOT).equals(day)) {
                return Optional.of(candidate);
            }
        }
        problems.add("unknown day '" + day + "': use monday, tuesday, wednesday, thursday, friday, saturday or sunday");
        return Optional.empty();
    }

    private static Optional<Opening> opening(String day, String interval, List<String> problems) {
        Matcher matcher = interval == null ? null : HOURS.matcher(interval.trim());
        if (matcher == null || !matcher.matches()) {
            problems.add(day + " hours '" + interval + "' are not HH:MM-HH:MM, such as 08:00-17:00");
            return Optional.empty();
        }
        int openHour = Integer.parseInt(matcher.group(1));
        int openMinute = Integer.parseInt(matcher.group(2));
        int closeHour = Integer.parseInt(matcher.group(3));
        int closeMinute = Integer.parseInt(matcher.group(4));
        boolean closesAtMidnight = closeHour == 24 && closeMinute == 0;
        if (openHour > 23 || openMinute > 59 || closeMinute > 59 || (closeHour > 23 && !closesAtMidnight)) {
            problems.add(day + " hours '" + interval + "' are not times of day between 00:00 and 24:00");
            return Optional.empty();
        }
        LocalTime opens = LocalTime.of(openHour, openMinute);
        LocalTime closes = closesAtMidnight ? LocalTime.MIDNIGHT : LocalTime.of(closeHour, closeMinute);
        if (!closesAtMidnight && !closes.isAfter(opens)) {
            problems.add(day + " hours '" + interval + "' do not close after they open (overnight hours are not "
                    + "supported; use 24:00 for the end of the day)");
            return Optional.empty();
        }
        return Optional.of(new Opening(opens, closes));
    }

    /** The zone in which opening hours, holidays and calendar days are read. */
    public ZoneId zone() {
        return zone;
    }

    /** The opening hours on a weekday; empty when the department is closed that weekday. */
    public Optional<Opening> opening(DayOfWeek day) {
        return Optional.ofNullable(weekly.get(day));
    }

    /** The days on which the department is closed all day, in date order. */
    public Set<LocalDate> holidays() {
        return holidays;
    }

    /** Whether the department works on this local date: not a holiday, and its weekday has hours. */
    public boolean isBusinessDay(LocalDate date) {
        return interval(date) != null;
    }

    /** Whether the department is open at this instant (opening time included, closing time excluded). */
    public boolean isOpen(Instant instant) {
        Interval interval = interval(localDate(instant));
        return interval != null && interval.contains(instant);
    }

    /**
     * The instant at which {@code businessTime} of open time has passed since {@code start}, counting only the
     * hours the department is open. A start outside opening hours counts from the next opening; adding zero
     * returns {@code start} itself. A result that uses up a day's last open minute is that day's closing time,
     * not the next opening.
     *
     * @throws IllegalArgumentException if {@code businessTime} is negative
     */
    public Instant addBusinessTime(Instant start, Duration businessTime) {
        Objects.requireNonNull(start, "start");
        if (businessTime.isNegative()) {
            throw new IllegalArgumentException("business time to add is negative: " + businessTime);
        }
        if (businessTime.isZero()) {
            return start;
        }
        Duration remaining = businessTime;
        Instant cursor = start;
        Interval interval = openingEndingAfter(start);
        while (true) {
            Instant from = cursor.isAfter(interval.start()) ? cursor : interval.start();
            Duration available = Duration.between(from, interval.end());
            if (remaining.compareTo(available) <= 0) {
                return from.plus(remaining);
            }
            remaining = remaining.minus(available);
            cursor = interval.end();
            interval = openingOnOrAfter(interval.date().plusDays(1));
        }
    }

    /**
     * The open time between two instants: how long the department was open in {@code [from, to)}. Used to measure
     * performance against business-hour standards and to measure time spent on hold. Like
     * {@link Duration#between}, it is negative when {@code to} is before {@code from}.
     */
    public Duration businessTimeBetween(Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (to.isBefore(from)) {
            return businessTimeBetween(to, from).negated();
        }
        Duration total = Duration.ZERO;
        LocalDate last = localDate(to);
        for (LocalDate date = localDate(from); !date.isAfter(last); date = date.plusDays(1)) {
            Interval interval = interval(date);
            if (interval != null) {
                Instant start = from.isAfter(interval.start()) ? from : interval.start();
                Instant end = to.isBefore(interval.end()) ? to : interval.end();
                if (end.isAfter(start)) {
                    total = total.plus(Duration.between(start, end));
                }
            }
        }
        return total;
    }

    /**
     * When a standard of {@code days} business days is due for a request received at {@code start}: <strong>by
     * closing time of the N-th business day after the day it was received, where a request received after closing
     * time, or on a day the department is closed, counts as received on the next business day</strong>.
     * <p>
     * With Monday to Friday 08:00-17:00: received Friday 16:55, 2 business days are due Tuesday 17:00; received
     * Friday 17:30 or Saturday, it counts as received Monday and is due Wednesday 17:00; if that Monday is a
     * holiday, it counts as received Tuesday and is due Thursday 17:00. A request received before opening on a
     * business day counts that day as the day received, since the department has the whole day to act. Zero days
     * means by closing time of the day received. For a department open around the clock, closing time is midnight
     * at the end of the day: received Monday 10:00, 2 business days are due Wednesday 24:00 (Thursday 00:00).
     *
     * @throws IllegalArgumentException if {@code days} is negative
     */
    public Instant addBusinessDays(Instant start, int days) {
        Objects.requireNonNull(start, "start");
        if (days < 0) {
            throw new IllegalArgumentException("business days to add are negative: " + days);
        }
        Interval due = openingEndingAfter(start);
        for (int counted = 0; counted < days; counted++) {
            due = openingOnOrAfter(due.date().plusDays(1));
        }
        return due.end();
    }

    private LocalDate localDate(Instant instant) {
        return instant.atZone(zone).toLocalDate();
    }

    /** The open interval of the first business day that has not closed yet at an instant. */
    private Interval openingEndingAfter(Instant instant) {
        Interval interval = openingOnOrAfter(localDate(instant));
        return interval.end().isAfter(instant) ? interval : openingOnOrAfter(interval.date().plusDays(1));
    }

    /** The open interval of the first business day on or after a local date. */
    private Interval openingOnOrAfter(LocalDate from) {
        // Validation guarantees an open weekday, so only holidays (and the rare day lost to DST) are skipped.
        int limit = 7 * (holidays.size() + 10);
        LocalDate date = from;
        for (int skipped = 0; skipped < limit; skipped++, date = date.plusDays(1)) {
            Interval interval = interval(date);
            if (interval != null) {
                return interval;
            }
        }
        throw new IllegalStateException("no business day within " + limit + " days of " + from + " in " + this);
    }

    /** The open interval on a local date, or null when closed that day (a holiday, no hours, or lost to DST). */
    private Interval interval(LocalDate date) {
        Opening opening = weekly.get(date.getDayOfWeek());
        if (opening == null || holidays.contains(date)) {
            return null;
        }
        Instant dayStart = date.atStartOfDay(zone).toInstant();
        Instant dayEnd = date.plusDays(1).atStartOfDay(zone).toInstant();
        Instant start = opening.opens().equals(LocalTime.MIDNIGHT) ? dayStart
                : date.atTime(opening.opens()).atZone(zone).toInstant();
        Instant end = opening.closesAtMidnight() ? dayEnd : date.atTime(opening.closes()).atZone(zone).toInstant();
        // A time in a DST gap resolves later, so keep the interval within its own day and never inverted.
        if (end.isAfter(dayEnd)) {
            end = dayEnd;
        }
        return end.isAfter(start) ? new Interval(date, start, end) : null;
    }

    @Override
    public String toString() {
        return "BusinessCalendar[zone=" + zone + ", weekly=" + weekly + ", holidays=" + holidays + "]";
    }

    /**
     * A weekday's opening hours in local time.
     *
     * @param closes the closing time; {@link LocalTime#MIDNIGHT} when the day runs to its end (written "24:00")
     */
    public record Opening(LocalTime opens, LocalTime closes) {

        static final Opening ALL_DAY = new Opening(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT);

        public Opening {
            Objects.requireNonNull(opens, "opens");
            Objects.requireNonNull(closes, "closes");
        }

        /** Whether the day's hours run to midnight at its end. */
        public boolean closesAtMidnight() {
            return closes.equals(LocalTime.MIDNIGHT);
        }

        @Override
        public String toString() {
            return opens + "-" + (closesAtMidnight() ? "24:00" : closes.toString());
        }
    }

    private record Interval(LocalDate date, Instant start, Instant end) {

        boolean contains(Instant instant) {
            return !instant.isBefore(start) && instant.isBefore(end);
        }
    }
}
