package org.city311.feedback.followup;

import java.time.Duration;
import java.time.ZoneId;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * When negative feedback opens a follow-up, and how long the department has to close it.
 *
 * @param dueBusinessDays the department closes a follow-up by the end of this many of its business days after the day
 *        it opened (the days its published calendar has hours and no holiday)
 * @param zone the city's time zone: the department's own once its calendar is known, and until then, this zone's
 *        Monday to Friday stand in
 * @param lowSatisfaction a satisfaction at or below this opens a follow-up
 * @param auditThreshold an audit whose mean score is below this opens a follow-up
 * @param sweepInterval how often the sweep checks whether a follow-up has fallen due; it reads the store only when the
 *        earliest due date it knows of has come, or a full sweep is due
 * @param fullSweepInterval the safety net: how often the sweep reads the store whatever it knows (follow-ups opened
 *        by another instance); also at start
 */
@ConfigurationProperties("city311.follow-ups")
public record FollowUpProperties(
        @DefaultValue("5") int dueBusinessDays,
        @DefaultValue("America/New_York") ZoneId zone,
        @DefaultValue("2") int lowSatisfaction,
        @DefaultValue("3.0") double auditThreshold,
        @DefaultValue("60s") Duration sweepInterval,
        @DefaultValue("5m") Duration fullSweepInterval) {
}
