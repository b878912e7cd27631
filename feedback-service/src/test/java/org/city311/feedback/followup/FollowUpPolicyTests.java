package org.city311.feedback.followup;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FollowUpPolicyTests {

    private static final Instant MONDAY = Instant.parse("2026-11-23T15:00:00Z");

    private static final FollowUpProperties PROPERTIES = new FollowUpProperties(5, ZoneId.of("America/New_York"), 2,
            3.0, Duration.ofMinutes(1), Duration.ofMinutes(5));

    /** No catalog has arrived yet: no department's calendar is known. */
    private final FollowUpPolicy policy = new FollowUpPolicy(PROPERTIES, department -> Optional.empty());

    @Test
    void shouldFollowUpDissatisfiedCustomersAndUnresolvedIssues() {
        assertThat(policy.assess("survey", 2, true, null, "parks", MONDAY)).get().extracting(FollowUp::reason)
                .isEqualTo("low_satisfaction");
        assertThat(policy.assess("phone", 4, false, null, "parks", MONDAY)).get().extracting(FollowUp::reason)
                .isEqualTo("not_resolved");
        assertThat(policy.assess("comment_card", 3, null, null, "parks", MONDAY)).isEmpty();
        assertThat(policy.assess("survey", 5, true, null, "parks", MONDAY)).isEmpty();
    }

    @Test
    void shouldFollowUpAuditsBelowTheThresholdOnly() {
        assertThat(policy.assess("audit", 3, null, 2.75, "parks", MONDAY)).get().extracting(FollowUp::reason)
                .isEqualTo("low_audit");
        assertThat(policy.assess("audit", 3, null, 3.0, "parks", MONDAY)).isEmpty();
        // an auditor's low score is no customer's dissatisfaction
        assertThat(policy.assess("audit", 2, null, 3.25, "parks", MONDAY)).isEmpty();
    }

    @Test
    void shouldOpenFollowUpsDueInFiveWeekdaysBeforeTheDepartmentsCalendarIsKnown() {
        FollowUp followUp = policy.assess("survey", 1, false, null, "parks", MONDAY).orElseThrow();

        assertThat(followUp.status()).isEqualTo("open");
        assertThat(followUp.openedAt()).isEqualTo(MONDAY);
        assertThat(followUp.dueAt()).isEqualTo(Instant.parse("2026-12-01T04:59:59Z"));
    }

    @Test
    void shouldSkipTheHolidaysOfTheDepartmentsCalendar() {
        // given Transportation's published calendar, Thanksgiving (Thursday 26 November) off
        FollowUpPolicy withCalendars = new FollowUpPolicy(PROPERTIES, department -> department.equals("transportation")
                ? Optional.of(BusinessDaysTests.TRANSPORTATION) : Optional.empty());

        // when a resident says on Monday that the street light is still out
        FollowUp transportation = withCalendars.assess("survey", 1, false, null, "transportation", MONDAY)
                .orElseThrow();
        FollowUp parks = withCalendars.assess("survey", 1, false, null, "parks", MONDAY).orElseThrow();

        // then Transportation's follow-up is due a day later than five weekdays (Tuesday 1 December), a department
        // whose calendar is not known yet keeps the five weekdays
        assertThat(transportation.dueAt()).isEqualTo(Instant.parse("2026-12-02T04:59:59Z"));
        assertThat(parks.dueAt()).isEqualTo(Instant.parse("2026-12-01T04:59:59Z"));
    }
}
