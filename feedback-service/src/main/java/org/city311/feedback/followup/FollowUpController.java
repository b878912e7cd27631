package org.city311.feedback.followup;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

import org.city311.contracts.Topics;
import org.city311.platform.security.Caller;
import org.city311.platform.security.Role;
import org.city311.platform.events.CloudEvent;
import org.city311.platform.events.CloudEvents;
import org.city311.platform.outbox.OutboxRelay;
import org.city311.platform.outbox.PendingEvent;
import org.city311.platform.web.Problems;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A department's follow-ups of negative feedback: list them, acknowledge one (someone is on it), close it with
 * the action taken and the root cause found. Closing publishes {@value FollowUpEvents.FollowUpClosed#TYPE}.
 */
@RestController
class FollowUpController {

    private static final List<String> UNCLOSED = List.of(FollowUp.OPEN, FollowUp.ACKNOWLEDGED);

    private final ReactiveMongoTemplate mongo;
    private final CloudEvents cloudEvents;
    private final OutboxRelay outboxRelay;
    private final Clock clock;

    FollowUpController(ReactiveMongoTemplate mongo, CloudEvents cloudEvents, OutboxRelay outboxRelay, Clock clock) {
        this.mongo = mongo;
        this.cloudEvents = cloudEvents;
        this.outboxRelay = outboxRelay;
        this.clock = clock;
    }

    /** The department's follow-ups, soonest due first: unclosed ones unless {@code status} asks otherwise. */
    @GetMapping("/api/follow-ups")
    Mono<List<FollowUpView>> list(@RequestParam(required = false) String department,
            @RequestParam(required = false) String status, Caller caller) {
        if (department == null || department.isBlank()) {
            return Mono.error(Problems.badRequest(List.of(new Problems.FieldProblem("department",
                    "the department whose follow-ups to list is required"))));
        }
        if (!mayRead(caller, department)) {
            return Mono.error(Problems.forbidden("The follow-ups of " + department + " are its own to see."));
        }
        List<String> statuses;
        if (status == null || status.isBlank()) {
            statuses = UNCLOSED;
        }
        else if (List.of(FollowUp.OPEN, FollowUp.ACKNOWLEDGED, FollowUp.CLOSED).contains(status)) {
            statuses = List.of(status);
        }
        else {
            return Mono.error(Problems.badRequest(List.of(new Problems.FieldProblem("status",
                    "open, acknowledged or closed"))));
        }
        Instant now = clock.instant();
        return mongo.find(Query.query(Criteria.where("department").is(department).and("followUp.status").in(statuses)),
                        FollowedUpFeedback.class)
                .map(feedback -> FollowUpView.of(feedback, now).forCaller(caller))
                .collectSortedList(Comparator.comparing(FollowUpView::dueAt).thenComparing(FollowUpView::id));
    }

    @GetMapping("/api/follow-ups/{id}")
    Mono<FollowUpView> get(@PathVariable String id, Caller caller) {
        return find(id).filter(feedback -> mayRead(caller, feedback.department()))
                .switchIfEmpty(Mono.error(() -> Problems.forbidden("Follow-up " + id + " is another department's.")))
                .map(feedback -> FollowUpView.of(feedback, clock.instant()).forCaller(caller));
    }

    /** Someone in the department is on it. Acknowledging again changes nothing; a closed follow-up is a 409. */
    @PostMapping("/api/follow-ups/{id}/acknowledge")
    Mono<FollowUpView> acknowledge(@PathVariable String id,
            @Valid @RequestBody(required = false) Acknowledgement body, Caller caller) {
        return findToWork(id, caller).flatMap(feedback -> {
            FollowUp followUp = feedback.followUp();
            if (FollowUp.CLOSED.equals(followUp.status())) {
                return Mono.error(Problems.conflict("Follow-up " + id + " is already closed."));
            }
            if (FollowUp.ACKNOWLEDGED.equals(followUp.status())) {
                return Mono.just(feedback);
            }
            Update update = new Update().set("followUp.status", FollowUp.ACKNOWLEDGED)
                    .set("followUp.acknowledgedAt", now())
                    .set("followUp.acknowledgedBy", caller.id());
            return modify(id, FollowUp.OPEN, update).switchIfEmpty(Mono.defer(() -> find(id)));
        }).map(feedback -> FollowUpView.of(feedback, clock.instant()));
    }

    /** Done: what was done and why it had gone wrong. Publishes the closing, on time or not; closing twice is a 409. */
    @PostMapping("/api/follow-ups/{id}/close")
    Mono<FollowUpView> close(@PathVariable String id, @Valid @RequestBody Closing body, Caller caller) {
        return findToWork(id, caller).flatMap(feedback -> {
            FollowUp followUp = feedback.followUp();
            if (FollowUp.CLOSED.equals(followUp.status())) {
                return Mono.error(Problems.conflict("Follow-up " + id + " is already closed."));
            }
            Instant now = now();
            boolean onTime = !now.isAfter(followUp.dueAt());
            CloudEvent event = cloudEvents.create(FollowUpEvents.FollowUpClosed.TYPE, feedback.requestId(),
                    new FollowUpEvents.FollowUpClosed(id, feedback.requestId(), feedback.department(),
                            body.rootCause(), body.action(), onTime, now), caller.id());
            Update update = new Update().set("followUp.status", FollowUp.CLOSED).set("followUp.closedAt", now)
                    .set("followUp.rootCause", body.rootCause()).set("followUp.action", body.action())
                    .set("followUp.onTime", onTime).set("followUp.closedBy", caller.id())
                    .push("outbox", PendingEvent.of(Topics.FEEDBACK, event, cloudEvents));
            return modify(id, followUp.status(), update)
                    .doOnNext(closed -> outboxRelay.wakeUp(FollowedUpFeedback.class, closed.id()))
                    .switchIfEmpty(Mono.error(() -> Problems.conflict("Follow-up " + id
                            + " was changed at the same moment; reload it and try again.")));
        }).map(feedback -> FollowUpView.of(feedback, clock.instant()));
    }

    /** Auditors read every department's follow-ups; agents and supervisors their own department's. */
    private static boolean mayRead(Caller caller, String department) {
        return caller.has(Role.AUDITOR) || caller.worksFor(department);
    }

    private Mono<FollowedUpFeedback> findToWork(String id, Caller caller) {
        return find(id).filter(feedback -> caller.worksFor(feedback.department()))
                .switchIfEmpty(Mono.error(() -> Problems.forbidden("Follow-up " + id + " is another department's.")));
    }

    private Mono<FollowedUpFeedback> find(String id) {
        return mongo.findOne(Query.query(Criteria.where("followUp.id").is(id)), FollowedUpFeedback.class)
                .switchIfEmpty(Mono.error(() -> Problems.notFound("No follow-up " + id + ".")));
    }

    /** Applies the update only if the follow-up is still in the status it was read in. */
    private Mono<FollowedUpFeedback> modify(String id, String expectedStatus, Update update) {
        return mongo.findAndModify(Query.query(Criteria.where("followUp.id").is(id).and("followUp.status")
                        .is(expectedStatus)), update, FindAndModifyOptions.options().returnNew(true),
                FollowedUpFeedback.class);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** @param by ignored: the caller is who acknowledges (kept so that older clients' bodies stay valid) */
    record Acknowledgement(@Size(max = 64) String by) {
    }

    record Closing(
            @NotNull @Pattern(
                    regexp = "staffing|process|communication|contractor|wrong_routing|resident_expectation|other",
                    message = "one of staffing, process, communication, contractor, wrong_routing, "
                            + "resident_expectation, other") String rootCause,
            @NotBlank @Size(max = 2000) String action) {
    }

    /**
     * A follow-up as the department sees it, with the feedback it follows up (the customer's comment included:
     * staff need it, and it is shown here only, never put in events).
     *
     * @param overdue past its due date and not closed, or closed late
     */
    record FollowUpView(String id, String requestId, String department, String serviceCode, String reason,
            String status, Instant openedAt, Instant dueAt, boolean overdue, Instant acknowledgedAt,
            String acknowledgedBy, Instant closedAt, String rootCause, String action, Boolean onTime,
            FeedbackSummary feedback) {

        /** Without the resident's comment for anyone outside the department (auditors). */
        FollowUpView forCaller(Caller caller) {
            if (caller.worksFor(department) || feedback == null) {
                return this;
            }
            FeedbackSummary summary = new FeedbackSummary(feedback.id(), feedback.source(), feedback.satisfaction(),
                    feedback.resolved(), feedback.ease(), feedback.scores(), null, feedback.receivedAt());
            return new FollowUpView(id, requestId, department, serviceCode, reason, status, openedAt, dueAt, overdue,
                    acknowledgedAt, acknowledgedBy, closedAt, rootCause, action, onTime, summary);
        }

        static FollowUpView of(FollowedUpFeedback feedback, Instant now) {
            FollowUp followUp = feedback.followUp();
            boolean overdue = FollowUp.CLOSED.equals(followUp.status()) ? Boolean.FALSE.equals(followUp.onTime())
                    : now.isAfter(followUp.dueAt());
            return new FollowUpView(followUp.id(), feedback.requestId(), feedback.department(),
                    feedback.serviceCode(), followUp.reason(), followUp.status(), followUp.openedAt(),
                    followUp.dueAt(), overdue, followUp.acknowledgedAt(), followUp.acknowledgedBy(),
                    followUp.closedAt(), followUp.rootCause(), followUp.action(), followUp.onTime(),
                    new FeedbackSummary(feedback.id(), feedback.source(), feedback.satisfaction(), feedback.resolved(),
                            feedback.ease(), feedback.scores(), feedback.comment(), feedback.receivedAt()));
        }
    }

    record FeedbackSummary(String id, String source, int satisfaction, Boolean resolved, Integer ease,
            Map<String, Integer> scores, String comment, Instant receivedAt) {
    }
}
