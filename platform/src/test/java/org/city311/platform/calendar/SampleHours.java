package org.city311.platform.calendar;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Departments' hours as the sample city publishes them, and instants written with their offset: for the tests of
 * {@link BusinessCalendar} here and of what is counted against it in the services (routing's due times).
 */
public final class SampleHours {

    public static final String NEW_YORK = "America/New_York";

    public static final List<String> HOLIDAYS_2026 = List.of("2026-01-01", "2026-01-19", "2026-02-16", "2026-05-25",
            "2026-06-19", "2026-07-03", "2026-09-07", "2026-10-12", "2026-11-11", "2026-11-26", "2026-12-25",
            "2027-01-01");

    /** Department of Transportation: Monday to Friday 08:00-17:00, city holidays off. */
    public static final BusinessCalendar.Hours TRANSPORTATION = new BusinessCalendar.Hours(NEW_YORK,
            days("08:00-17:00", "monday", "tuesday", "wednesday", "thursday", "friday"), HOLIDAYS_2026);

    /** Department of Sanitation: Monday to Saturday 06:00-22:00, city holidays off. */
    public static final BusinessCalendar.Hours SANITATION = new BusinessCalendar.Hours(NEW_YORK,
            days("06:00-22:00", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"), HOLIDAYS_2026);

    /** Police, environmental protection, the 311 triage desk: around the clock, no holidays. */
    public static final BusinessCalendar.Hours AROUND_THE_CLOCK = new BusinessCalendar.Hours(NEW_YORK,
            days("00:00-24:00", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
            List.of());

    private SampleHours() {
    }

    public static Map<String, String> days(String hours, String... days) {
        Map<String, String> weekly = new LinkedHashMap<>();
        for (String day : days) {
            weekly.put(day, hours);
        }
        return weekly;
    }

    public static BusinessCalendar calendar(String department) {
        return BusinessCalendar.of(switch (department) {
            case "transportation" -> TRANSPORTATION;
            case "sanitation" -> SANITATION;
            case "police" -> AROUND_THE_CLOCK;
            default -> throw new IllegalArgumentException(department);
        });
    }

    /** An instant written as local time with its offset, such as 2026-01-09T16:55-05:00. */
    public static Instant at(String offsetDateTime) {
        return OffsetDateTime.parse(offsetDateTime).toInstant();
    }
}
