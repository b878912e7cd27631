package org.city311.routing.work;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import reactor.core.publisher.Mono;

import org.city311.contracts.Topics;
import org.city311.contracts.TransferReason;
import org.city311.platform.domain.DomainException;
import org.city311.platform.events.CloudEvent;
import org.city311.platform.events.CloudEvents;
import org.city311.platform.outbox.OutboxRelay;
import org.city311.platform.outbox.PendingEvent;
import org.city311.platform.security.Caller;
import org.city311.platform.security.Callers;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;

/**
 * Carries out a department's actions on its work: reads the item, has {@link WorkTransitions} (the state machine,
 * pure) decide, and writes what it decided as one guarded update on the work item's version that also carries the
 * event announcing it, so an illegal or concurrent action is refused with a clear problem instead of silently
 * changing anything. An action costs one store command, one bulk write of the guarded update, its queues' counters
 * and its agents' loads ({@link WorkStore#update}), when it starts from the item as this instance last wrote it
 * ({@link RecentWork}), and a read of the item before it otherwise (and after a refusal decided on a remembered
 * item, which may be stale); a guard that matched nothing costs one more, which takes the loads' moves back. Its
 * answer is the item as the state machine left it, not read back.
 * <p>
 * A transfer to a department that assigns its work gives the request to one of its agents ({@link AgentAssignment});
 * it is still {@code routed} there until someone accepts it, and whoever accepts it has it.
 */
@Service
class DepartmentWork {

    private final WorkTransitions transitions;
    private final AgentAssignment assignment;
    private final CloudEvents cloudEvents;
    private final OutboxRelay outboxRelay;
    private final Clock clock;
    private final Callers callers;
    private final WorkStore store;

    DepartmentWork(Deadlines deadlines, AgentAssignment assignment, CloudEvents cloudEvents, OutboxRelay outboxRelay,
            Clock clock, Callers callers, WorkStore store) {
        this.transitions = new WorkTransitions(deadlines);
        this.assignment = assignment;
        this.cloudEvents = cloudEvents;
        this.outboxRelay = outboxRelay;
        this.clock = clock;
        this.callers = callers;
        this.store = store;
    }

    /** The request's work; refused as not found if it has none (a link kept for its routing is none). */
    Mono<WorkItem> find(String requestId) {
        return store.find(requestId)
                .switchIfEmpty(Mono.error(() -> DomainException.notFound("No work for request " + requestId + ".")));
    }

    Mono<WorkItem> accept(String requestId, Long expectedVersion, String agent) {
        return act(requestId, expectedVersion, null, new WorkTransitions.Accept(agent));
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
        return act(requestId, expectedVersion, null, new WorkTransitions.Assign(agent, inDepartment));
    }

    Mono<WorkItem> update(String requestId, Long expectedVersion, String visibility, String note) {
        return act(requestId, expectedVersion, null, new WorkTransitions.Note(visibility, note));
    }

    /** @param visibility who may read the reason: {@code public}, or {@code internal} for city staff only */
    Mono<WorkItem> hold(String requestId, Long expectedVersion, String reason, String visibility) {
        return act(requestId, expectedVersion, null, new WorkTransitions.Hold(reason, visibility));
    }

    Mono<WorkItem> resume(String requestId, Long expectedVersion) {
        return act(requestId, expectedVersion, null, new WorkTransitions.Resume());
    }

    /** Routed in the new department, to the agent it assigns the request to if it assigns its work. */
    Mono<WorkItem> transfer(String requestId, Long expectedVersion, String toDepartment, String reason,
            TransferReason reasonCode, String visibility) {
        return act(requestId, expectedVersion, null, item -> {
            // checked before the department's rotation is asked for an agent: a refused transfer takes no turn
            transitions.checkTransfer(item, toDepartment);
            return assignment.agentFor(toDepartment).map(Optional::of).defaultIfEmpty(Optional.empty())
                    .map(agent -> new WorkTransitions.Transfer(toDepartment, reason, reasonCode, visibility,
                            agent.orElse(null)));
        });
    }

    Mono<WorkItem> resolve(String requestId, Long expectedVersion, String resolutionCode, String note) {
        return resolve(requestId, expectedVersion, null, resolutionCode, note);
    }

    /** @param cause the event the platform resolves it on (a trusted integration's word), or null */
    Mono<WorkItem> resolve(String requestId, Long expectedVersion, Cause cause, String resolutionCode, String note) {
        return act(requestId, expectedVersion, cause, new WorkTransitions.Resolve(resolutionCode, note));
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
        return act(requestId, expectedVersion, null, new WorkTransitions.Reopen(answeredResolution, reason,
                visibility));
    }

    /** Closes a resolved request; {@code answeredResolution} as for {@link #reopen(String, Long, Long, String, String)}. */
    Mono<WorkItem> close(String requestId, Long answeredResolution, String reason) {
        return close(requestId, answeredResolution, null, reason);
    }

    /** @param cause the event the platform closes it on (a customer's word through an Open311 client), or null */
    Mono<WorkItem> close(String requestId, Long answeredResolution, Cause cause, String reason) {
        return act(requestId, null, cause, new WorkTransitions.Close(answeredResolution, reason));
    }

    /**
     * Flags open work: the customer says it is fixed (through an Open311 client that is not a trusted integration).
     * The status stays; the department sees the flag on its queue and an internal note on the timeline.
     */
    Mono<WorkItem> flagReportedFixed(String requestId, Cause cause, WorkItem.CustomerReport report, String note) {
        return act(requestId, null, cause, new WorkTransitions.FlagReportedFixed(report, note));
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

    /** The action to take on the item as read; one may first ask the store something, such as which agent. */
    @FunctionalInterface
    private interface ActionFor {
        Mono<WorkTransitions.Action> on(WorkItem item);
    }

    private Mono<WorkItem> act(String requestId, Long expectedVersion, Cause cause, WorkTransitions.Action action) {
        return act(requestId, expectedVersion, cause, item -> Mono.just(action));
    }

    private Mono<WorkItem> act(String requestId, Long expectedVersion, Cause cause, ActionFor action) {
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
                .onErrorResume(DomainException.class, refused -> {
                    if (refused.kind() == DomainException.Kind.INVALID) {
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
    private Mono<WorkItem> attempt(String requestId, Long expectedVersion, Cause cause, ActionFor action,
            Mono<WorkItem> read, boolean remembered) {
        return callers.current().map(Optional::of).defaultIfEmpty(Optional.empty()).flatMap(by -> read
                .flatMap(item -> {
            // An action by a person (not the platform acting on feedback) is checked against the department the
            // request is in as it is read; a transfer racing with it fails the write below, so no check is stale.
            if (by.isPresent() && !WorkAccess.mayWork(by.get(), item.department())) {
                return Mono.error(DomainException.forbidden("Request " + requestId + " is routed to "
                        + item.department() + ", not to your department."));
            }
            WorkTransitions.checkActable(item, expectedVersion, cause == null ? null : cause.eventId());
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            // an action with nothing to change answers the item as it is, writing nothing
            return action.on(item).flatMap(chosen -> Mono.justOrEmpty(transitions.apply(item, chosen, now)))
                    .flatMap(transition -> write(item, transition, by.map(Caller::id).orElse(cause == null ? null
                            : cause.actedBy()), cause))
                    .switchIfEmpty(Mono.defer(() -> remembered ? find(requestId) : Mono.just(item)));
        }));
    }

    /** The transition written as one guarded update that also queues its event, which is then handed over. */
    private Mono<WorkItem> write(WorkItem item, WorkTransitions.Transition transition, String actedBy, Cause cause) {
        String requestId = item.id();
        // who did it, for the request's audit trail
        CloudEvent event = cloudEvents.create(transition.eventType(), requestId, transition.eventData(), actedBy);
        PendingEvent pending = PendingEvent.of(Topics.ROUTING, event, cloudEvents);
        Update update = store.changes(item, transition.after()).push("outbox", pending);
        // (a link is no new version: it is checked for itself)
        if (cause != null) {
            update.push("appliedEvents", cause.eventId());
        }
        Query unchangedSinceRead = Query.query(Criteria.where("_id").is(requestId).and("sequence")
                .is(item.sequence()).and("duplicateOf").isNull());
        WorkItem changed = transition.after().withPublished(pending, cause == null ? null : cause.eventId());
        // one command: the guarded write, then the counters of both departments' queues when it moves, with the
        // loads of the agents who let it go and take it on (taken back if the write changed nothing)
        return store.update(changed, unchangedSinceRead, update, List.of(item.department(), changed.department()),
                        AgentLoads.Moves.between(item, changed))
                .flatMap(made -> made ? Mono.just(changed) : Mono.error(() -> DomainException.conflict("Request "
                        + requestId + " was changed by someone else at the same moment; reload it and try again.")))
                // its event is handed over: the relay reads the item only if it has another waiting
                .doOnSuccess(made -> outboxRelay.wakeUp(WorkItem.COLLECTION, requestId, List.of(pending)));
    }
}
