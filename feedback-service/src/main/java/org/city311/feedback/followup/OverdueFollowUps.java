package org.city311.feedback.followup;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.city311.contracts.Topics;
import org.city311.feedback.store.DueSweeps;
import org.city311.platform.events.CloudEvent;
import org.city311.platform.events.CloudEvents;
import org.city311.platform.outbox.OutboxRelay;
import org.city311.platform.outbox.PendingEvent;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Finds follow-ups past their due date and still unclosed, and publishes {@value FollowUpEvents.FollowUpOverdue#TYPE}
 * for each, once: the update that marks it overdue only matches a follow-up not yet marked, so two instances (or two
 * runs) cannot both publish it. It checks every {@code city311.follow-ups.sweep-interval} but reads the store only when
 * the earliest due date it knows of has come (each sweep reads the earliest left; a follow-up opened here announces
 * its own, {@link #expect}), and every {@code city311.follow-ups.full-sweep-interval} and at start, for those another
 * instance opened: idle, it reads nothing, however much feedback is stored.
 */
@Component
class OverdueFollowUps implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(OverdueFollowUps.class);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);
    private static final int BATCH = 200;

    private final ReactiveMongoTemplate mongo;
    private final CloudEvents cloudEvents;
    private final OutboxRelay outboxRelay;
    private final Clock clock;
    private final FollowUpProperties properties;
    private final DueSweeps due;

    OverdueFollowUps(ReactiveMongoTemplate mongo, CloudEvents cloudEvents, OutboxRelay outboxRelay, Clock clock,
            FollowUpProperties properties) {
        this.mongo = mongo;
        this.cloudEvents = cloudEvents;
        this.outboxRelay = outboxRelay;
        this.clock = clock;
        this.properties = properties;
        this.due = new DueSweeps(clock, properties.fullSweepInterval());
    }

    /** A follow-up opened here falls due then. */
    void expect(Instant dueAt) {
        due.expect(dueAt);
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::sweep, properties.sweepInterval());
    }

    /**
     * Marks every follow-up due before now and unclosed as overdue, with its event, the earliest first; then knows
     * the earliest due date of those left.
     */
    void sweep() {
        try {
            if (!due.begin()) {
                return;
            }
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            Instant earliestLeft = null;
            int marked;
            do {
                List<FollowedUpFeedback> earliest = mongo.find(unmarked().with(Sort.by("followUp.dueAt"))
                        .limit(BATCH), FollowedUpFeedback.class).collectList().block(STORE_TIMEOUT);
                marked = 0;
                for (FollowedUpFeedback feedback : earliest) {
                    if (!feedback.followUp().dueAt().isBefore(now)) {
                        earliestLeft = feedback.followUp().dueAt();
                        break;
                    }
                    if (markOverdue(feedback, now)) {
                        marked++;
                        outboxRelay.wakeUp(FollowedUpFeedback.class, feedback.id());
                    }
                }
            }
            while (marked == BATCH);
            due.swept(now, earliestLeft);
        }
        catch (RuntimeException ex) {
            log.warn("Could not look for overdue follow-ups ({}); next run in {}", ex.getMessage(),
                    properties.sweepInterval());
        }
    }

    private boolean markOverdue(FollowedUpFeedback feedback, Instant now) {
        FollowUp followUp = feedback.followUp();
        CloudEvent event = cloudEvents.create(FollowUpEvents.FollowUpOverdue.TYPE, feedback.requestId(),
                new FollowUpEvents.FollowUpOverdue(followUp.id(), feedback.requestId(), feedback.department(),
                        followUp.dueAt(), now));
        Update update = new Update().set("followUp.overdueAt", now)
                .push("outbox", PendingEvent.of(Topics.FEEDBACK, event, cloudEvents));
        Query stillUnmarked = overdueUnmarked(now).addCriteria(Criteria.where("_id").is(feedback.id()));
        return mongo.updateFirst(stillUnmarked, update, FollowedUpFeedback.class).block(STORE_TIMEOUT)
                .getModifiedCount() == 1;
    }

    private static Query overdueUnmarked(Instant now) {
        return Query.query(Criteria.where("followUp.status").in(FollowUp.OPEN, FollowUp.ACKNOWLEDGED)
                .and("followUp.dueAt").lt(now)
                .and("followUp.overdueAt").exists(false));
    }

    /** Unclosed and not yet marked overdue. */
    private static Query unmarked() {
        return Query.query(Criteria.where("followUp.status").in(FollowUp.OPEN, FollowUp.ACKNOWLEDGED)
                .and("followUp.overdueAt").exists(false));
    }
}
