package org.city311.routing.work;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.city311.contracts.TransferReason;
import org.city311.platform.domain.DomainException;

/**
 * What a department does with its work, as a state machine of pure functions: an action on a work item as read
 * gives the item after it and the event that announces it, or nothing when it changes nothing, or a
 * {@link DomainException} saying why it is refused. No store, no HTTP, no clock: {@link DepartmentWork} reads the
 * item, passes the time, and writes the result guarded on the version it read.
 *
 * <pre>
 * routed ──accept──▶ in_progress ──resolve──▶ resolved ──reopen──▶ reopened
 *   │  ▲                 │                        │                  │
 *   │  └──transfer───────┤ (to another             └──close──▶ closed └──accept / hold / transfer / resolve
 *   │                    │  department: routed there)
 *   └──hold──▶ on_hold ──resume──▶ (where it was)      update: any status but closed
 *                                                      assign: any open status, which it keeps
 * </pre>
 */
final class WorkTransitions {

    private static final Set<WorkStatus> ACCEPTABLE = EnumSet.of(WorkStatus.ROUTED, WorkStatus.REOPENED);
    private static final Set<WorkStatus> WORKABLE = EnumSet.of(WorkStatus.ROUTED, WorkStatus.IN_PROGRESS,
            WorkStatus.REOPENED);

    /** What the actions need to know of the catalog in force: answered from memory, never from the store. */
    interface Standards {

        /** Whether the service's standard stops its clock while its requests are on hold. */
        boolean pausesClock(String serviceCode);

        /** The item's due times once it resumes at {@code resumed} from the hold it is in. */
        Deadlines.Due afterHold(WorkItem item, Instant resumed);

        boolean departmentExists(String department);
    }

    /** An action on a work item, with what it was given. */
    sealed interface Action permits Accept, Assign, Note, Hold, Resume, Transfer, Resolve, Reopen, Close,
            FlagReportedFixed {
    }

    record Accept(String agent) implements Action {
    }

    /**
     * @param agent who gets it; null for nobody
     * @param inDepartment the department whose queue it is assigned from (work that moved since is a conflict);
     *        null for no such check
     */
    record Assign(String agent, String inDepartment) implements Action {
    }

    /** A note on the timeline: {@code public}, or {@code internal} for city staff only. */
    record Note(String visibility, String note) implements Action {
    }

    record Hold(String reason, String visibility) implements Action {
    }

    record Resume() implements Action {
    }

    /** @param agent whom the new department assigns it to, if it assigns its work; null otherwise */
    record Transfer(String toDepartment, String reason, TransferReason reasonCode, String visibility, String agent)
            implements Action {
    }

    record Resolve(String resolutionCode, String note) implements Action {
    }

    /**
     * @param answeredResolution the resolution (its sequence) a customer's feedback answers, or null: if the request
     *        was resolved again since, the feedback is about an earlier one and changes nothing
     */
    record Reopen(Long answeredResolution, String reason, String visibility) implements Action {
    }

    /** @param answeredResolution as for {@link Reopen} */
    record Close(Long answeredResolution, String reason) implements Action {
    }

    /** The customer says it is fixed, through an Open311 client that is not a trusted integration. */
    record FlagReportedFixed(WorkItem.CustomerReport report, String note) implements Action {
    }

    /** The item after an action (its next version, at the action's time) and the event that announces it. */
    record Transition(WorkItem after, String eventType, Object eventData) {
    }

    private final Standards standards;

    WorkTransitions(Standards standards) {
        this.standards = standards;
    }

    /**
     * The action applied to the item as read, at {@code now}.
     *
     * @return the transition; empty when the action changes nothing (an assignment to whoever has it already)
     * @throws DomainException when the item's state refuses the action
     */
    Optional<Transition> apply(WorkItem item, Action action, Instant now) {
        checkActable(item, null, null);
        long sequence = item.sequence() + 1;
        WorkItem next = item.withVersion(sequence, now);
        return Optional.ofNullable(transition(item, next, action, now, sequence));
    }

    /**
     * Whether anything may be done to the item as read: not if it is a duplicate (its parent's work is the one to
     * work), nor if it changed since the caller read it, nor if it already acted on the other service's event.
     *
     * @param expectedVersion the version the caller acted on; null for no such check
     * @param causeEventId the other service's event the platform acts on; null for a person's action
     * @throws DomainException when it may not
     */
    static void checkActable(WorkItem item, Long expectedVersion, String causeEventId) {
        if (item.duplicateOf() != null) {
            throw DomainException.conflict("Request " + item.id() + " is a duplicate of " + item.duplicateOf()
                    + ", whose work it follows: work that one instead.");
        }
        if (expectedVersion != null && expectedVersion != item.sequence()) {
            throw DomainException.staleVersion("Request " + item.id() + " is at version " + item.sequence()
                    + ", not " + expectedVersion + ": someone changed it since you loaded it. Reload it and try"
                    + " again.");
        }
        if (causeEventId != null && item.appliedEvents() != null && item.appliedEvents().contains(causeEventId)) {
            throw DomainException.conflict("Event " + causeEventId + " was applied to " + item.id() + " already.");
        }
    }

    private Transition transition(WorkItem item, WorkItem next, Action action, Instant now, long sequence) {
        String id = item.id();
        if (action instanceof Accept accept) {
            require(item, ACCEPTABLE, "accepted");
            return new Transition(next.withStatus(WorkStatus.IN_PROGRESS).withAgent(accept.agent())
                    .withFirstActionAt(item.firstActionAt() != null ? item.firstActionAt() : now),
                    ActionEvents.RequestAccepted.TYPE, new ActionEvents.RequestAccepted(id, item.serviceCode(),
                            item.department(), WorkStatus.IN_PROGRESS.wireName(), accept.agent(), now, sequence,
                            item.firstActionDueAt()));
        }
        if (action instanceof Assign assign) {
            if (assign.inDepartment() != null && !assign.inDepartment().equals(item.department())) {
                throw DomainException.conflict("Request " + id + " has moved to " + item.department()
                        + " since; it is no longer in the queue of " + assign.inDepartment() + ".");
            }
            require(item, WorkStatus.OPEN, "assigned");
            if (Objects.equals(item.agent(), assign.agent())) {
                return null;
            }
            // no event type says "assigned": an internal note on the timeline announces it
            String note = assign.agent() == null ? "Unassigned (was " + item.agent() + ")"
                    : item.agent() == null ? "Assigned to " + assign.agent()
                    : "Reassigned from " + item.agent() + " to " + assign.agent();
            return new Transition(next.withAgent(assign.agent()), ActionEvents.RequestUpdated.TYPE,
                    new ActionEvents.RequestUpdated(id, item.serviceCode(), item.department(),
                            item.status().wireName(), "internal", note, now, sequence));
        }
        if (action instanceof Note note) {
            if (item.status() == WorkStatus.CLOSED) {
                throw DomainException.conflict("Request " + id + " is closed.");
            }
            return new Transition(next, ActionEvents.RequestUpdated.TYPE, new ActionEvents.RequestUpdated(id,
                    item.serviceCode(), item.department(), item.status().wireName(), note.visibility(),
                    note.note(), now, sequence));
        }
        if (action instanceof Hold hold) {
            require(item, WORKABLE, "put on hold");
            return new Transition(next.withStatus(WorkStatus.ON_HOLD).withHold(now, item.status()),
                    ActionEvents.RequestPutOnHold.TYPE, new ActionEvents.RequestPutOnHold(id, item.serviceCode(),
                            item.department(), WorkStatus.ON_HOLD.wireName(), hold.reason(), now, sequence,
                            standards.pausesClock(item.serviceCode()), hold.visibility()));
        }
        if (action instanceof Resume resume) {
            require(item, EnumSet.of(WorkStatus.ON_HOLD), "resumed");
            WorkStatus back = item.statusBeforeHold() != null ? item.statusBeforeHold() : WorkStatus.ROUTED;
            long heldSeconds = Duration.between(item.heldSince(), now).toSeconds();
            Deadlines.Due due = standards.afterHold(item, now);
            WorkItem resumed = next.withStatus(back).withHold(null, null).withDue(due.firstAction(),
                    due.resolution());
            if (standards.pausesClock(item.serviceCode())) {
                resumed = resumed.withPausedSeconds(item.pausedSeconds() + heldSeconds);
            }
            return new Transition(resumed, ActionEvents.RequestResumed.TYPE, new ActionEvents.RequestResumed(id,
                    item.serviceCode(), item.department(), back.wireName(), heldSeconds, now, sequence,
                    due.resolution()));
        }
        if (action instanceof Transfer transfer) {
            checkTransfer(item, transfer.toDepartment());
            int hop = item.transfers() + 1;
            return new Transition(next.withTransfer(transfer.toDepartment(), hop, now).withStatus(WorkStatus.ROUTED)
                    .withAgent(transfer.agent()), ActionEvents.RequestTransferred.TYPE,
                    new ActionEvents.RequestTransferred(id, item.serviceCode(), item.department(),
                            transfer.toDepartment(), transfer.toDepartment(), WorkStatus.ROUTED.wireName(),
                            transfer.reason(), transfer.reasonCode().wireName(), hop, now, sequence,
                            transfer.agent(), transfer.visibility()));
        }
        if (action instanceof Resolve resolve) {
            if (!WorkStatus.OPEN.contains(item.status())) {
                throw DomainException.conflict("Request " + id + " is already " + item.status().wireName()
                        + "; reopen it first.");
            }
            Instant firstActionAt = item.firstActionAt() != null ? item.firstActionAt() : now;
            // resolved while on hold: that hold pauses the clock until now
            long pausedSeconds = item.pausedSeconds() + (item.heldSince() != null
                    && standards.pausesClock(item.serviceCode())
                            ? Duration.between(item.heldSince(), now).toSeconds() : 0);
            return new Transition(next.withStatus(WorkStatus.RESOLVED)
                    .withResolution(new WorkItem.Resolution(resolve.resolutionCode(), resolve.note(), now,
                            sequence))
                    .withFirstActionAt(firstActionAt).withPausedSeconds(pausedSeconds).withHold(null, null)
                    .withCustomerReportsFixed(null),
                    WorkEvents.RequestResolved.TYPE, new WorkEvents.RequestResolved(id, item.serviceCode(),
                            item.department(), resolve.resolutionCode(), resolve.note(), now, sequence,
                            firstActionAt, item.firstActionDueAt(), item.resolutionDueAt(), pausedSeconds));
        }
        if (action instanceof Reopen reopen) {
            require(item, EnumSet.of(WorkStatus.RESOLVED), "reopened");
            requireAnswering(item, reopen.answeredResolution());
            return new Transition(next.withStatus(WorkStatus.REOPENED).withResolution(null).withAgent(null),
                    ActionEvents.RequestReopened.TYPE, new ActionEvents.RequestReopened(id, item.serviceCode(),
                            item.department(), WorkStatus.REOPENED.wireName(), reopen.reason(), now, sequence,
                            reopen.visibility()));
        }
        if (action instanceof Close close) {
            require(item, EnumSet.of(WorkStatus.RESOLVED), "closed");
            requireAnswering(item, close.answeredResolution());
            return new Transition(next.withStatus(WorkStatus.CLOSED), ActionEvents.RequestClosed.TYPE,
                    new ActionEvents.RequestClosed(id, item.serviceCode(), item.department(),
                            WorkStatus.CLOSED.wireName(), close.reason(), now, sequence));
        }
        if (action instanceof FlagReportedFixed flag) {
            require(item, WorkStatus.OPEN, "flagged as reported fixed");
            return new Transition(next.withCustomerReportsFixed(flag.report()), ActionEvents.RequestUpdated.TYPE,
                    new ActionEvents.RequestUpdated(id, item.serviceCode(), item.department(),
                            item.status().wireName(), "internal", flag.note(), now, sequence));
        }
        throw new IllegalArgumentException("no such action: " + action);
    }

    /**
     * Whether the item may be transferred there, before anyone picks the agent who gets it there (which may take a
     * turn of the department's rotation).
     *
     * @throws DomainException when it may not
     */
    void checkTransfer(WorkItem item, String toDepartment) {
        if (!standards.departmentExists(toDepartment)) {
            throw DomainException.invalid("toDepartment", "no department " + toDepartment);
        }
        if (toDepartment.equals(item.department())) {
            throw DomainException.conflict("Request " + item.id() + " is already with " + toDepartment + ".");
        }
        require(item, WORKABLE, "transferred");
    }

    private static void requireAnswering(WorkItem item, Long answeredResolution) {
        Long current = item.resolution() == null ? null : item.resolution().sequence();
        if (answeredResolution != null && current != null && !answeredResolution.equals(current)) {
            throw DomainException.conflict("Request " + item.id() + " was resolved again since (version " + current
                    + "); feedback about version " + answeredResolution + " does not apply.");
        }
    }

    private static void require(WorkItem item, Set<WorkStatus> allowed, String verb) {
        if (!allowed.contains(item.status())) {
            throw DomainException.conflict("Request " + item.id() + " is " + item.status().wireName()
                    + " and cannot be " + verb + " now.");
        }
    }
}
