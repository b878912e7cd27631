package org.city311.feedback.survey;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.city311.contracts.Topics;
import org.city311.feedback.intake.FeedbackRecorder;
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
 * Ends survey windows and invitations whose time is up. It checks every {@code city311.surveys.sweep-interval} (a
 * minute by default) but reads the store only when the earliest end it knows of has come (each sweep reads the
 * earliest left; invitations and windows made here announce theirs, {@link #expect}), and every
 * {@code city311.surveys.full-sweep-interval} (5 minutes) and at start for those another instance made: idle, it
 * reads nothing, however many surveys are stored. An invitation past its expiry becomes {@code expired}; a window
 * that ends still open publishes
 * {@value SurveyExpired#TYPE}, for routing-service to close the request. Each is a conditional update on the status,
 * so a window expires once, whatever the number of instances or runs. A response that was stored but whose survey was
 * not yet marked answered (cut short) is recognised, and marks it answered instead.
 */
@Component
class SurveyWindows implements SchedulingConfigurer {

    /** Every status a window has once it ended, and none. */
    private static final List<String> ENDED = Arrays.asList(SurveyWindow.ANSWERED, SurveyWindow.MOVED_ON,
            SurveyWindow.EXPIRED, null);
    private static final Logger log = LoggerFactory.getLogger(SurveyWindows.class);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);
    private static final int BATCH = 200;

    private final ReactiveMongoTemplate mongo;
    private final CloudEvents cloudEvents;
    private final OutboxRelay outboxRelay;
    private final FeedbackRecorder feedback;
    private final SurveyResponses responses;
    private final SurveyProperties properties;
    private final Clock clock;
    private final DueSweeps due;

    SurveyWindows(ReactiveMongoTemplate mongo, CloudEvents cloudEvents, OutboxRelay outboxRelay,
            FeedbackRecorder feedback, SurveyResponses responses, SurveyProperties properties, Clock clock) {
        this.mongo = mongo;
        this.cloudEvents = cloudEvents;
        this.outboxRelay = outboxRelay;
        this.feedback = feedback;
        this.responses = responses;
        this.properties = properties;
        this.clock = clock;
        this.due = new DueSweeps(clock, properties.fullSweepInterval());
    }

    /** An invitation or a window made here ends then. */
    void expect(Instant endsAt) {
        due.expect(endsAt);
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::sweep, properties.sweepInterval());
    }

    void sweep() {
        try {
            if (!due.begin()) {
                return;
            }
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            Instant invitationsLeft = expireInvitations(now);
            Instant windowsLeft = expireWindows(now);
            removeEnded(now);
            due.swept(now, invitationsLeft == null || (windowsLeft != null && windowsLeft.isBefore(invitationsLeft))
                    ? windowsLeft : invitationsLeft);
        }
        catch (RuntimeException ex) {
            log.warn("Could not end survey windows ({}); next run in {}", ex.getMessage(), properties.sweepInterval());
        }
    }

    /**
     * Expires the open invitations that have come to their end, the earliest first, a batch at a time; returns the
     * earliest end of those left (now, if a whole batch was due), or null if none is open.
     */
    private Instant expireInvitations(Instant now) {
        List<Survey> earliest = mongo.find(Query.query(Criteria.where("status").in(Survey.OPEN))
                .with(Sort.by("expiresAt")).limit(BATCH), Survey.class).collectList().block(STORE_TIMEOUT);
        for (Survey survey : earliest) {
            if (survey.expiresAt().isAfter(now)) {
                return survey.expiresAt();
            }
            if (answered(survey.id())) {
                responses.markAnswered(survey, null).block(STORE_TIMEOUT);
                continue;
            }
            mongo.updateFirst(Query.query(Criteria.where("_id").is(survey.id()).and("status").in(Survey.OPEN)
                    .and("expiresAt").lte(now)), new Update().set("status", Survey.EXPIRED), Survey.class)
                    .block(STORE_TIMEOUT);
        }
        return earliest.size() == BATCH ? now : null;
    }

    /** The same for open windows: returns the earliest end of those left, or null if none is open. */
    private Instant expireWindows(Instant now) {
        List<SurveyWindow> earliest = mongo.find(Query.query(Criteria.where("status").is(SurveyWindow.OPEN))
                .with(Sort.by("endsAt")).limit(BATCH), SurveyWindow.class).collectList().block(STORE_TIMEOUT);
        for (SurveyWindow window : earliest) {
            if (window.endsAt().isAfter(now)) {
                return window.endsAt();
            }
            Query stillOpen = Query.query(Criteria.where("_id").is(window.id()).and("status").is(SurveyWindow.OPEN)
                    .and("resolutionSequence").is(window.resolutionSequence()));
            if (window.surveyId() != null && answered(window.surveyId())) {
                mongo.updateFirst(stillOpen, new Update().set("status", SurveyWindow.ANSWERED).set("endedAt", now),
                        SurveyWindow.class).block(STORE_TIMEOUT);
                continue;
            }
            CloudEvent event = cloudEvents.create(SurveyExpired.TYPE, window.id(), new SurveyExpired(window.surveyId(),
                    window.id(), window.department(), window.serviceCode(), window.resolutionSequence(), now));
            Update expire = new Update().set("status", SurveyWindow.EXPIRED).set("endedAt", now)
                    .push("outbox", PendingEvent.of(Topics.FEEDBACK, event, cloudEvents));
            long expired = mongo.updateFirst(stillOpen, expire, SurveyWindow.class).block(STORE_TIMEOUT)
                    .getModifiedCount();
            if (expired == 1) {
                outboxRelay.wakeUp(SurveyWindow.COLLECTION, window.id());
            }
        }
        return earliest.size() == BATCH ? now : null;
    }

    /**
     * Windows ended a window's length ago or more whose request had no further event to remove them (or stored by
     * versions that kept every window), once their survey-expired is published: what is left is the windows still
     * to end, a small collection whatever the history. (Sooner, a late redelivery of the resolution could open a
     * window once more.) The ended statuses are named rather than "not open", so that the {@code status, endsAt}
     * index leads to them (no status: a window stored before statuses were kept) and the open windows are not read,
     * on MongoDB as on the local store.
     */
    private void removeEnded(Instant now) {
        mongo.remove(Query.query(Criteria.where("status").in(ENDED).and("outbox.0").exists(false)
                .and("endedAt").lte(now.minus(properties.window()))), SurveyWindow.class).block(STORE_TIMEOUT);
    }

    private boolean answered(String surveyId) {
        return Boolean.TRUE.equals(feedback.exists(SurveyTokens.feedbackIdOf(surveyId)).block(STORE_TIMEOUT));
    }
}
