package org.city311.routing.work;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import reactor.core.publisher.Mono;

import org.city311.platform.security.Caller;
import org.city311.platform.security.Callers;
import org.city311.platform.events.CloudEvent;
import org.city311.platform.events.CloudEvents;
import org.city311.platform.outbox.OutboxRelay;
import org.city311.platform.outbox.PendingEvent;
import org.city311.platform.web.Problems;
import org.city311.routing.catalog.ServiceCatalog;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.ErrorResponseException;

/**
 * What a department does with its work, as an explicit state machine. Every action is one guarded update on the
 * work item's version that also carries the event announcing it, so an illegal or concurrent action is refused
 * with a clear problem instead of silently changing anything. An action costs one store command, one bulk write of
 * the guarded update, its queues' counters and its agents' loads ({@link WorkStore#update}), when it starts from the
 * item as this instance last wrote it ({@link RecentWork}), and a read of the item before it otherwise (and after a
 * refusal decided on a remembered item, which may be stale); a guard that matched nothing costs one more, which
 * takes the loads' moves back. Its answer is worked out from what was read and what was written
 * ({@link WorkStore#applied}), not read back.
 *
 * <pre>
 * routed ──accept──▶ in_progress ──resolve──▶ resolved ──reopen──▶ reopened
 *   │  ▲                 │                                            │
 *   │  └──transfer───────┤ (to another department: routed there)      └──accept / hold / transfer / resolve
 *   └──hold──▶ on_hold ──resume──▶ (where it was)      update: any status but closed
 *                                                      assign: any open status, which it keeps
 * </pre>
 *
 * A transfer to a department that assigns its work gives the request to one of its agents ({@link AgentAssignment});
 * it is still {@code routed} there until someone accepts it, and whoever accepts it has it.
 */
@Service
class DepartmentWork {

    private static final Set<WorkStatus> ACCEPTABLE = EnumSet.of(WorkStatus.ROUTED, WorkStatus.REOPENED);
    private static final Set<WorkStatus> WORKABLE = EnumSet.of(WorkStatus.ROUTED, WorkStatus.IN_PROGRESS,
            WorkStatus.REOPENED);

    private final ServiceCatalog catalog;
    private final Deadlines deadlines;
    private final AgentAssignment assignment;
    private final CloudEvents cloudEvents;
    private final OutboxRelay outboxRelay;
    private final Clock clock;
    private final Callers callers;
    private final WorkStore store;

    DepartmentWork(ServiceCatalog catalog, Deadlines deadlines,
            AgentAssignment assignment, CloudEvents cloudEvents, OutboxRelay outboxRelay, Clock clock,
            Callers callers, WorkStore store) {
        this.callers = callers;
        this.store = store;
        this.catalog = catalog;
        this.deadlines = deadlines;
        this.assignment = assignment;
        this.cloudEvents = cloudEvents;
        this.outboxRelay = outboxRelay;
        this.clock = clock;
    }

    /** The request's work; a 404 problem if it has none (a link kept for its routing is none: no department). */
    Mono<WorkItem> find(String requestId) {
        return store.find(requestId)
                .switchIfEmpty(Mono.error(() -> Problems.notFound("No work for request " + requestId + ".")));
    }

    Mono<WorkItem> accept(String requestId, Long expectedVersion, String agent) {
        return act(requestId, expectedVersion, (item, now, sequence) -> {
            require(item, ACCEPTABLE, "accepted");
            return new Transition(new Update().set("status", WorkStatus.IN_PROGRESS).set("agent", agent)
                    .set("firstActionAt", item.firstActionAt() != null ? item.firstActionAt() : now),
                    ActionEvents.RequestAccepted.TYPE, new ActionEvents.RequestAccepted(requestId, item.serviceCode(),
                            item.department(), WorkStatus.IN_PROGRESS.wireName(), agent, now, sequence,
                            item.firstActionDueAt()));
        });
    }

    /**
     * Gives the work to an agent, to another one, or to none ({@code agent} null), without accepting it: the status
     * stays as it is. Open work only. Announced as an internal note on the request's timeline
     * ({@value ActionEvents.RequestUpdated#TYPE}, visibility {@code internal}, {@code actedby} who assigned it): no
     * event type says "assigned", and every change of a work item takes the next sequence with an event, which
     * readers of {@code city311.routing} (metrics-service) apply in order and wait for. Giving it to the agent who
     * has it already changes nothing.
     *
     * @param inDepartment the department whose queue the caller assigns from: work that has moved to another one
     *        since is a conflict; null for no such check
     */
    Mono<WorkItem> assign(String requestId, Long expectedVersion, String agent, String inDepartment) {
        return act(requestId, expectedVersion, (item, now, sequence) -> {
            if (inDepartment != null && !inDepartment.equals(item.department())) {
                throw Problems.conflict("Request " + requestId + " has moved to " + item.department()
                        + " since; it is no longer in the queue of " + inDepartment + ".");
            }
            require(item, WorkStatus.OPEN, "assigned");
            if (java.util.Objects.equals(item.agent(), agent)) {
                return null;
            }
            String note = agent == null ? "Unassigned (was " + item.agent() + ")"
                    : item.agent() == null ? "Assigned to " + agent
                    : "Reassigned from " + item.agent() + " to " + agent;
            Update update = agent == null ? new Update().unset("agent") : new Update().set("agent", agent);
            return new Transition(update, ActionEvents.RequestUpdated.TYPE, new ActionEvents.RequestUpdated(requestId,
                    item.serviceCode(), item.department(), item.status().wireName(), "internal", note, now,
                    sequence));
        });
    }

    Mono<WorkItem> update(String requestId, Long expectedVersion, String visibility, String note) {
        return act(requestId, expectedVersion, (item, now, sequence) -> {
            if (item.status() == WorkStatus.CLOSED) {
                throw Problems.conflict("Request " + requestId + " is closed.");
            }
            return new Transition(new Update(), ActionEvents.RequestUpdated.TYPE, new ActionEvents.RequestUpdated(
                    requestId, item.serviceCode(), item.department(), item.status().wireName(), visibility, note, now,
                    sequence));
        });
    }

    /** @param visibility who may read the reason: {@code public}, or {@code internal} for city staff only */
    Mono<WorkItem> hold(String requestId, Long expectedVersion, String reason, String visibility) {
        return act(requestId, expectedVersion, (item, now, sequence) -> {
            require(item, WORKABLE, "put on hold");
            return new Transition(new Update().set("status", WorkStatus.ON_HOLD).set("heldSince", now)
                    .set("statusBeforeHold", item.status()),
                    ActionEvents.RequestPutOnHold.TYPE, new ActionEvents.RequestPutOnHold(requestId,
                            item.serviceCode(), item.department(), WorkStatus.ON_HOLD.wireName(), reason, now, sequence,
                            deadlines.pausesClock(item.serviceCode()), visibility));
        });
    }

    Mono<WorkItem> resume(String requestId, Long expectedVersion) {
        return act(requestId, expectedVersion, (item, now, sequence) -> {
            require(item, EnumSet.of(WorkStatus.ON_HOLD), "resumed");
            WorkStatus back = item.statusBeforeHold() != null ? item.statusBeforeHold() : WorkStatus.ROUTED;
            long heldSeconds = Duration.between(item.heldSince(), now).toSeconds();
            Deadlines.Due due = deadlines.afterHold(item, now);
            Update update = new Update().set("status", back).unset("heldSince").unset("statusBeforeHold")
                    .set("firstActionDueAt", due.firstAction()).set("resolutionDueAt", due.resolution());
            if (deadlines.pausesClock(item.serviceCode())) {
                update.inc("pausedSeconds", heldSeconds);
            }
            return new Transition(update,
                    ActionEvents.RequestResumed.TYPE, new ActionEvents.RequestResumed(requestId, item.serviceCode(),
                            item.department(), back.wireName(), heldSeconds, now, sequence, due.resolution()));
        });
    }

    /** Routed in the new department, to the agent it assigns the request to if it assigns its work. */
    Mono<WorkItem> transfer(String requestId, Long expectedVersion, String toDepartment, String reason,
            TransferReason reasonCode, String visibility) {
        return actAssigning(requestId, expectedVersion, (item, now, sequence) -> {
            if (catalog.current().department(toDepartment).isEmpty()) {
                throw Problems.invalid("toDepartment", "no department " + toDepartment);
            }
            if (toDepartment.equals(item.department())) {
                throw Problems.conflict("Request " + requestId + " is already with " + toDepartment + ".");
            }
            require(item, WORKABLE, "transferred");
            int hop = item.transfers() + 1;
            return assignment.agentFor(toDepartment).map(Optional::of).defaultIfEmpty(Optional.empty())
                    .map(agent -> {
                        Update update = new Update().set("department", toDepartment).set("status", WorkStatus.ROUTED)
                                .set("transfers", hop).set("routedAt", now);
                        agent.ifPresentOrElse(assigned -> update.set("agent", assigned), () -> update.unset("agent"));
                        return new Transition(update, ActionEvents.RequestTransferred.TYPE,
                                new ActionEvents.RequestTransferred(requestId, item.serviceCode(), item.department(),
                                        toDepartment, toDepartment, WorkStatus.ROUTED.wireName(), reason,
                                        reasonCode.wireName(), hop, now, sequence, agent.orElse(null), visibility));
                    });
        });
    }

    Mono<WorkItem> resolve(String requestId, Long expectedVersion, String resolutionCode, String note) {
        return resolve(requestId, expectedVersion, null, resolutionCode, note);
    }

    /** @param cause the event the platform resolves it on (a trusted integration's word), or null */
    Mono<WorkItem> resolve(String requestId, Long expectedVersion, Cause cause, String resolutionCode, String note) {
        return act(requestId, expectedVersion, cause, (item, now, sequence) -> {
            if (!WorkStatus.OPEN.contains(item.status())) {
                throw Problems.conflict("Request " + requestId + " is already " + item.status().wireName()
                        + "; reopen it first.");
            }
            Instant firstActionAt = item.firstActionAt() != null ? item.firstActionAt() : now;
            // Resolved while on hold: that hold pauses the clock until now.
            long pausedSeconds = item.pausedSeconds() + (item.heldSince() != null
                    && deadlines.pausesClock(item.serviceCode()) ? Duration.between(item.heldSince(), now).toSeconds() : 0);
            return new Transition(new Update().set("status", WorkStatus.RESOLVED)
                    .set("resolution", new WorkItem.Resolution(resolutionCode, note, now, sequence))
                    .set("firstActionAt", firstActionAt).set("pausedSeconds", pausedSeconds)
                    .unset("heldSince").unset("statusBeforeHold").unset("customerReportsFixed"),
                    WorkEvents.RequestResolved.TYPE, new WorkEvents.RequestResolved(requestId, item.serviceCode(),
                            item.department(), resolutionCode, note, now, sequence, firstActionAt,
                            item.firstActionDueAt(), item.resolutionDueAt(), pausedSeconds));
        });
    }

    Mono<WorkItem> reopen(String requestId, Long expectedVersion, String reason, String visibility) {
        return reopen(requestId, expectedVersion, null, reason, visibility);
    }

    /**
     * @param answeredResolution the resolution (its sequence) a customer's feedback answers: if the request was
     *        resolved again since, the feedback is about an earlier resolution and reopens nothing. Notes added after
     *        the resolution do not make it stale.
     */
    Mono<WorkItem> reopen(String requestId, Long expectedVersion, Long answeredResolution, String reason,
            String visibility) {
        return act(requestId, expectedVersion, (item, now, sequence) -> {
            require(item, EnumSet.of(WorkStatus.RESOLVED), "reopened");
            requireAnswering(item, answeredResolution);
            return new Transition(new Update().set("status", WorkStatus.REOPENED).unset("resolution").unset("agent"),
                    ActionEvents.RequestReopened.TYPE, new ActionEvents.RequestReopened(requestId, item.serviceCode(),
                            item.department(), WorkStatus.REOPENED.wireName(), reason, now, sequence, visibility));
        });
    }

    /** Closes a resolved request; {@code answeredResolution} as for {@link #reopen(String, Long, Long, String, String)}. */
    Mono<WorkItem> close(String requestId, Long answeredResolution, String reason) {
        return close(requestId, answeredResolution, null, reason);
    }

    /** @param cause the event the platform closes it on (a customer's word through an Open311 client), or null */
    Mono<WorkItem> close(String requestId, Long answeredResolution, Cause cause, String reason) {
        return act(requestId, null, cause, (item, now, sequence) -> {
            require(item, EnumSet.of(WorkStatus.RESOLVED), "closed");
            requireAnswering(item, answeredResolution);
            return new Transition(new Update().set("status", WorkStatus.CLOSED),
                    ActionEvents.RequestClosed.TYPE, new ActionEvents.RequestClosed(requestId, item.serviceCode(),
                            item.department(), WorkStatus.CLOSED.wireName(), reason, now, sequence));
        });
    }

    /**
     * Flags open work: the customer says it is fixed (through an Open311 client that is not a trusted integration).
     * The status stays; the department sees the flag on its queue and an internal note on the timeline.
     */
    Mono<WorkItem> flagReportedFixed(String requestId, Cause cause, WorkItem.CustomerReport report, String note) {
        return act(requestId, null, cause, (item, now, sequence) -> {
            require(item, WorkStatus.OPEN, "flagged as reported fixed");
            return new Transition(new Update().set("customerReportsFixed", report), ActionEvents.RequestUpdated.TYPE,
                    new ActionEvents.RequestUpdated(requestId, item.serviceCode(), item.department(),
                            item.status().wireName(), "internal", note, now, sequence));
        });
    }

    /**
     * Why the platform acts when no person calls: another service's event (by id) and whom it names as having acted
     * ({@code actedby} of the event published). The id is kept on the item in the same write as the action, and an
     * event already applied is refused with a 409: a redelivery changes nothing.
     *
     * @param read the item as the caller has just read it, to act on without reading it again (the write is guarded
     *        on its version all the same: if it changed since, the action is a 409); null: read it here
     */
    record Cause(String eventId, String actedBy, WorkItem read) {
    }

    /** What an action changes, and the event that announces it; an action returns null when it changes nothing. */
    private record Transition(Update update, String eventType, Object eventData) {
    }

    @FunctionalInterface
    private interface Action {
        Transition apply(WorkItem item, Instant now, long sequence);
    }

    /** An action that first asks the store something, such as which agent to assign. */
    @FunctionalInterface
    private interface AssigningAction {
        Mono<Transition> apply(WorkItem item, Instant now, long sequence);
    }

    private Mono<WorkItem> act(String requestId, Long expectedVersion, Action action) {
        return act(requestId, expectedVersion, null, action);
    }

    private Mono<WorkItem> act(String requestId, Long expectedVersion, Cause cause, Action action) {
        return actAssigning(requestId, expectedVersion, cause,
                (item, now, sequence) -> Mono.justOrEmpty(action.apply(item, now, sequence)));
    }

    private Mono<WorkItem> actAssigning(String requestId, Long expectedVersion, AssigningAction action) {
        return actAssigning(requestId, expectedVersion, null, action);
    }

    private Mono<WorkItem> actAssigning(String requestId, Long expectedVersion, Cause cause,
            AssigningAction action) {
        if (cause != null && cause.read() != null && cause.read().id().equals(requestId)) {
            return attempt(requestId, expectedVersion, cause, action, Mono.just(cause.read()), false);
        }
        WorkItem remembered = store.recent(requestId);
        if (remembered == null) {
            return attempt(requestId, expectedVersion, cause, action, find(requestId), false);
        }
        // Started from the item as this instance wrote it last, which another may have changed since: a write from a
        // stale item matches nothing, and a refusal (other than of the input itself) is decided again on the item
        // as stored.
        return attempt(requestId, expectedVersion, cause, action, Mono.just(remembered), true)
                .onErrorResume(ErrorResponseException.class, refused -> {
                    if (refused.getStatusCode().value() == HttpStatus.BAD_REQUEST.value()) {
                        return Mono.error(refused);
                    }
                    store.forget(requestId);
                    return attempt(requestId, expectedVersion, cause, action, find(requestId), false);
                });
    }

    /**
     * @param read the item to act on
     * @param remembered whether it is what this instance wrote last rather than what the store holds: an action
     *        that changes nothing then answers the item as stored
     */
    private Mono<WorkItem> attempt(String requestId, Long expectedVersion, Cause cause, AssigningAction action,
            Mono<WorkItem> read, boolean remembered) {
        return callers.current().map(Optional::of).defaultIfEmpty(Optional.empty()).flatMap(by -> read
                .flatMap(item -> {
            // An action by a person (not the platform acting on feedback) is checked against the department the
            // request is in as it is read; a transfer racing with it fails the write below, so no check is stale.
            if (by.isPresent() && !WorkAccess.mayWork(by.get(), item.department())) {
                return Mono.error(Problems.forbidden("Request " + requestId + " is routed to " + item.department()
                        + ", not to your department."));
            }
            if (item.duplicateOf() != null) {
                return Mono.error(Problems.conflict("Request " + requestId + " is a duplicate of "
                        + item.duplicateOf() + ", whose work it follows: work that one instead."));
            }
            if (expectedVersion != null && expectedVersion != item.sequence()) {
                return Mono.error(Problems.of(HttpStatus.PRECONDITION_FAILED, "Changed meanwhile", "Request "
                        + requestId + " is at version " + item.sequence() + ", not " + expectedVersion
                        + ": someone changed it since you loaded it. Reload it and try again."));
            }
            if (cause != null && item.appliedEvents() != null && item.appliedEvents().contains(cause.eventId())) {
                return Mono.error(Problems.conflict("Event " + cause.eventId() + " was applied to " + requestId
                        + " already."));
            }
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            long sequence = item.sequence() + 1;
            // an action with nothing to change answers the item as it is, writing nothing
            return action.apply(item, now, sequence).flatMap(transition -> {
                // who did it, for the request's audit trail
                CloudEvent event = cloudEvents.create(transition.eventType(), requestId, transition.eventData(),
                        by.map(Caller::id).orElse(cause == null ? null : cause.actedBy()));
                PendingEvent pending = PendingEvent.of(WorkEvents.ROUTING_TOPIC, event, cloudEvents);
                Update update = transition.update()
                        .set("sequence", sequence)
                        .set("updatedAt", now)
                        .push("outbox", pending);
                // (a link is no new version: it is checked for itself)
                if (cause != null) {
                    update.push("appliedEvents", cause.eventId());
                }
                Query unchangedSinceRead = Query.query(Criteria.where("_id").is(requestId).and("sequence")
                        .is(item.sequence()).and("duplicateOf").isNull());
                WorkItem changed = store.applied(item, update);
                // one command: the guarded write, then the counters of both departments' queues when it moves, with
                // the loads of the agents who let it go and take it on (taken back if the write changed nothing)
                return store.update(changed, unchangedSinceRead, update,
                                List.of(item.department(), changed.department()),
                                AgentLoads.Moves.between(item, changed))
                        .flatMap(made -> made ? Mono.just(changed) : Mono.error(() -> Problems.conflict("Request "
                                + requestId + " was changed by someone else at the same moment; reload it and try "
                                + "again.")))
                        // its event is handed over: the relay reads the item only if it has another waiting
                        .doOnSuccess(made -> outboxRelay.wakeUp(WorkItem.COLLECTION, requestId, List.of(pending)));
            }).switchIfEmpty(Mono.defer(() -> remembered ? find(requestId) : Mono.just(item)));
        }));
    }

    private static void requireAnswering(WorkItem item, Long answeredResolution) {
        Long current = item.resolution() == null ? null : item.resolution().sequence();
        if (answeredResolution != null && current != null && !answeredResolution.equals(current)) {
            throw Problems.conflict("Request " + item.id() + " was resolved again since (version " + current
                    + "); feedback about version " + answeredResolution + " does not apply.");
        }
    }

    private static void require(WorkItem item, Set<WorkStatus> allowed, String verb) {
        if (!allowed.contains(item.status())) {
            throw Problems.conflict("Request " + item.id() + " is " + item.status().wireName() + " and cannot be "
                    + verb + " now.");
        }
    }
}
