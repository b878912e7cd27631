package org.city311.feedback.followup;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import org.city311.feedback.calendars.DepartmentCalendars;
import org.city311.platform.calendar.BusinessCalendar;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Which feedback the department must follow up: "it follows up on negative feedback to correct problems and to
 * learn from its mistakes". A customer who was dissatisfied ({@code satisfaction <= lowSatisfaction}) or whose
 * issue was not resolved, or an audit whose mean score is below the threshold, opens one, due in
 * {@code dueBusinessDays} of the department's business days (its published calendar: holidays skipped).
 */
@Component
@EnableConfigurationProperties(FollowUpProperties.class)
public class FollowUpPolicy {

    private final FollowUpProperties properties;

    private final OverdueFollowUps overdue;

    /** A department's calendar, if its catalog entry has arrived. */
    private final Function<String, Optional<BusinessCalendar>> calendarOf;

    private final BusinessCalendar weekdays;

    @Autowired
    FollowUpPolicy(FollowUpProperties properties, OverdueFollowUps overdue, DepartmentCalendars calendars) {
        this(properties, overdue, calendars::of);
    }

    /** The policy alone, with no sweep to tell of the follow-ups it opens, and these calendars (tests). */
    FollowUpPolicy(FollowUpProperties properties, Function<String, Optional<BusinessCalendar>> calendarOf) {
        this(properties, null, calendarOf);
    }

    private FollowUpPolicy(FollowUpProperties properties, OverdueFollowUps overdue,
            Function<String, Optional<BusinessCalendar>> calendarOf) {
        this.properties = properties;
        this.overdue = overdue;
        this.calendarOf = calendarOf;
        this.weekdays = BusinessDays.weekdays(properties.zone());
    }

    /** A follow-up it opened is stored: the sweep knows when it falls due. */
    public void stored(FollowUp followUp) {
        if (overdue != null) {
            overdue.expect(followUp.dueAt());
        }
    }

    /**
     * The follow-up a piece of feedback opens, if it is negative.
     *
     * @param auditMean for an audit, the mean of its scores; else null
     * @param department the department the request is routed to, in whose business days it falls due
     */
    public Optional<FollowUp> assess(String source, int satisfaction, Boolean resolved, Double auditMean,
            String department, Instant now) {
        String reason;
        if ("audit".equals(source)) {
            reason = auditMean != null && auditMean < properties.auditThreshold() ? "low_audit" : null;
        }
        else if (Boolean.FALSE.equals(resolved)) {
            reason = "not_resolved";
        }
        else if (satisfaction <= properties.lowSatisfaction()) {
            reason = "low_satisfaction";
        }
        else {
            reason = null;
        }
        if (reason == null) {
            return Optional.empty();
        }
        BusinessCalendar calendar = calendarOf.apply(department).orElse(weekdays);
        Instant due = BusinessDays.endOfBusinessDaysAfter(now, properties.dueBusinessDays(), calendar);
        return Optional.of(new FollowUp(UUID.randomUUID().toString(), reason, FollowUp.OPEN, now, due, null, null,
                null, null, null, null, null));
    }

    /** The event that announces a follow-up just opened. */
    public FollowUpEvents.FollowUpOpened opened(FollowUp followUp, String requestId, String department,
            String serviceCode) {
        return new FollowUpEvents.FollowUpOpened(followUp.id(), requestId, department, serviceCode, followUp.reason(),
                followUp.dueAt(), followUp.openedAt());
    }
}
