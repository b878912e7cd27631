package org.city311.feedback.followup;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FollowUpPolicyTests {

    private static final Instant MONDAY = Instant.parse("2026-11-23T15:00:00Z");

    private final FollowUpPolicy policy = new FollowUpPolicy(new FollowUpProperties(5, ZoneId.of("America/New_York"),
            2, 3.0, Duration.ofMinutes(1), Duration.ofMinutes(5)));

    @Test
    void shouldFollowUpDissatisfiedCustomersAndUnresolvedIssues() {
        assertThat(policy.assess("survey", 2, true, null, MONDAY)).get().extracting(FollowUp::reason)
                .isEqualTo("low_satisfaction");
        assertThat(policy.assess("phone", 4, false, null, MONDAY)).get().extracting(FollowUp::reason)
                .isEqualTo("not_resolved");
        assertThat(policy.assess("comment_card", 3, null, null, MONDAY)).isEmpty();
        assertThat(policy.assess("survey", 5, true, null, MONDAY)).isEmpty();
    }

    @Test
    void shouldFollowUpAuditsBelowTheThresholdOnly() {
        assertThat(policy.assess("audit", 3, null, 2.75, MONDAY)).get().extracting(FollowUp::reason)
                .isEqualTo("low_audit");
        assertThat(policy.assess("audit", 3, null, 3.0, MONDAY)).isEmpty();
        // an auditor's low score is no customer's dissatisfaction
        assertThat(policy.assess("audit", 2, null, 3.25, MONDAY)).isEmpty();
    }

    @Test
    void shouldOpenFollowUpsDueInFiveBusinessDays() {
        FollowUp followUp = policy.assess("survey", 1, false, null, MONDAY).orElseThrow();

        assertThat(followUp.status()).isEqualTo("open");
        assertThat(followUp.openedAt()).isEqualTo(MONDAY);
        assertThat(followUp.dueAt()).isEqualTo(Instant.parse("2026-12-01T04:59:59Z"));
    }
}
