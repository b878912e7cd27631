package org.city311.routing.work;

import java.time.Instant;
import java.util.List;

import org.city311.platform.outbox.PendingEvent;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A request as the department that provides it works it. One document per request: the state, its version and
 * the events still to publish change together in one atomic update.
 *
 * @param id the request id
 * @param sequence the version: raised by every change, guarded on every update (a concurrent second action
 *        fails instead of overwriting the first), and published with each event so consumers can order them
 * @param agent who in the department has it: once accepted, or from routing or a transfer where the department
 *        assigns its work to its agents (see {@link AgentAssignment}; the status stays {@code routed})
 * @param heldSince when it was put on hold, while it is
 * @param statusBeforeHold where it resumes to
 * @param transfers how many times it has been moved to another department
 * @param firstActionAt when the department first acted on it (accepted, or resolved without accepting)
 * @param firstActionDueAt when the first action is due by the published standard
 * @param resolutionDueAt when the resolution is due by the published standard (later after holds, where the
 *        standard pauses the clock)
 * @param pausedSeconds how long the standard's clock has been paused by holds that ended (0 where it never pauses)
 * @param duplicateOf the request it was linked to as a duplicate: from then on it is {@code closed} here, out of
 *        the department's open work, and refuses every action (the work is the parent's)
 * @param linkedAt when the link reached this service
 * @param customerReportsFixed set while the work is open and the customer, through an Open311 client that is not a
 *        trusted integration, said it is fixed: for the department to check (cleared when it is resolved)
 * @param appliedEvents ids of the events of other services this item has acted on (Open311 clients' updates), kept
 *        in the same write as the action: a redelivered one changes nothing
 * @param description what the request says, from its request-created event, cut to {@link #DESCRIPTION_LENGTH}
 *        characters for the queue (the whole text stays with request-service); null for items routed before it was
 *        kept, or when the request has none
 * @param location where the problem is (address and point), from the same event; null likewise
 */
@Document(WorkItem.COLLECTION)
record WorkItem(
        @Id String id,
        String serviceCode,
        String department,
        WorkStatus status,
        long sequence,
        String rule,
        Instant routedAt,
        Instant updatedAt,
        Resolution resolution,
        List<PendingEvent> outbox,
        String agent,
        Instant heldSince,
        WorkStatus statusBeforeHold,
        int transfers,
        Instant firstActionAt,
        Instant firstActionDueAt,
        Instant resolutionDueAt,
        long pausedSeconds,
        String duplicateOf,
        Instant linkedAt,
        CustomerReport customerReportsFixed,
        List<String> appliedEvents,
        String description,
        Location location) {

    static final String COLLECTION = "work";
    /** How much of a request's description a queue shows: a few lines. */
    static final int DESCRIPTION_LENGTH = 500;

    /**
     * A description as the queue keeps it: at most {@link #DESCRIPTION_LENGTH} characters, cut at the last space
     * before that (if there is one in its second half) and ended with an ellipsis; null or blank stays null.
     */
    static String queueDescription(String description) {
        if (description == null || description.isBlank()) {
            return null;
        }
        String text = description.strip();
        if (text.length() <= DESCRIPTION_LENGTH) {
            return text;
        }
        int end = DESCRIPTION_LENGTH - 1; // room for the ellipsis
        int space = text.lastIndexOf(' ', end);
        if (space > DESCRIPTION_LENGTH / 2) {
            end = space;
        }
        else if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // never half a character
        }
        return text.substring(0, end).stripTrailing() + "\u2026";
    }

    // The changes an action makes (WorkTransitions): each returns the item with those fields changed, all else kept.

    WorkItem withVersion(long newSequence, Instant at) {
        return new WorkItem(id, serviceCode, department, status, newSequence, rule, routedAt, at, resolution, outbox,
                agent, heldSince, statusBeforeHold, transfers, firstActionAt, firstActionDueAt, resolutionDueAt,
                pausedSeconds, duplicateOf, linkedAt, customerReportsFixed, appliedEvents, description, location);
    }

    WorkItem withStatus(WorkStatus newStatus) {
        return new WorkItem(id, serviceCode, department, newStatus, sequence, rule, routedAt, updatedAt, resolution,
                outbox, agent, heldSince, statusBeforeHold, transfers, firstActionAt, firstActionDueAt,
                resolutionDueAt, pausedSeconds, duplicateOf, linkedAt, customerReportsFixed, appliedEvents,
                description, location);
    }

    WorkItem withAgent(String newAgent) {
        return new WorkItem(id, serviceCode, department, status, sequence, rule, routedAt, updatedAt, resolution,
                outbox, newAgent, heldSince, statusBeforeHold, transfers, firstActionAt, firstActionDueAt,
                resolutionDueAt, pausedSeconds, duplicateOf, linkedAt, customerReportsFixed, appliedEvents,
                description, location);
    }

    WorkItem withFirstActionAt(Instant at) {
        return new WorkItem(id, serviceCode, department, status, sequence, rule, routedAt, updatedAt, resolution,
                outbox, agent, heldSince, statusBeforeHold, transfers, at, firstActionDueAt, resolutionDueAt,
                pausedSeconds, duplicateOf, linkedAt, customerReportsFixed, appliedEvents, description, location);
    }

    /** On hold since {@code since}, to resume to {@code before}; both null: not on hold. */
    WorkItem withHold(Instant since, WorkStatus before) {
        return new WorkItem(id, serviceCode, department, status, sequence, rule, routedAt, updatedAt, resolution,
                outbox, agent, since, before, transfers, firstActionAt, firstActionDueAt, resolutionDueAt,
                pausedSeconds, duplicateOf, linkedAt, customerReportsFixed, appliedEvents, description, location);
    }

    WorkItem withDue(Instant firstAction, Instant resolutionDue) {
        return new WorkItem(id, serviceCode, department, status, sequence, rule, routedAt, updatedAt, resolution,
                outbox, agent, heldSince, statusBeforeHold, transfers, firstActionAt, firstAction, resolutionDue,
                pausedSeconds, duplicateOf, linkedAt, customerReportsFixed, appliedEvents, description, location);
    }

    WorkItem withPausedSeconds(long seconds) {
        return new WorkItem(id, serviceCode, department, status, sequence, rule, routedAt, updatedAt, resolution,
                outbox, agent, heldSince, statusBeforeHold, transfers, firstActionAt, firstActionDueAt,
                resolutionDueAt, seconds, duplicateOf, linkedAt, customerReportsFixed, appliedEvents, description,
                location);
    }

    /** Moved to {@code toDepartment} at {@code at}: its {@code hop}th transfer. */
    WorkItem withTransfer(String toDepartment, int hop, Instant at) {
        return new WorkItem(id, serviceCode, toDepartment, status, sequence, rule, at, updatedAt, resolution, outbox,
                agent, heldSince, statusBeforeHold, hop, firstActionAt, firstActionDueAt, resolutionDueAt,
                pausedSeconds, duplicateOf, linkedAt, customerReportsFixed, appliedEvents, description, location);
    }

    WorkItem withResolution(Resolution newResolution) {
        return new WorkItem(id, serviceCode, department, status, sequence, rule, routedAt, updatedAt, newResolution,
                outbox, agent, heldSince, statusBeforeHold, transfers, firstActionAt, firstActionDueAt,
                resolutionDueAt, pausedSeconds, duplicateOf, linkedAt, customerReportsFixed, appliedEvents,
                description, location);
    }

    WorkItem withCustomerReportsFixed(CustomerReport report) {
        return new WorkItem(id, serviceCode, department, status, sequence, rule, routedAt, updatedAt, resolution,
                outbox, agent, heldSince, statusBeforeHold, transfers, firstActionAt, firstActionDueAt,
                resolutionDueAt, pausedSeconds, duplicateOf, linkedAt, report, appliedEvents, description, location);
    }

    /** With the event it publishes waiting in its outbox, and the other service's event it acted on (if any). */
    WorkItem withPublished(PendingEvent pending, String appliedEvent) {
        List<PendingEvent> waiting = new java.util.ArrayList<>(outbox == null ? List.of() : outbox);
        waiting.add(pending);
        List<String> applied = appliedEvents;
        if (appliedEvent != null) {
            applied = new java.util.ArrayList<>(appliedEvents == null ? List.of() : appliedEvents);
            applied.add(appliedEvent);
        }
        return new WorkItem(id, serviceCode, department, status, sequence, rule, routedAt, updatedAt, resolution,
                List.copyOf(waiting), agent, heldSince, statusBeforeHold, transfers, firstActionAt, firstActionDueAt,
                resolutionDueAt, pausedSeconds, duplicateOf, linkedAt, customerReportsFixed,
                applied == null ? null : List.copyOf(applied), description, location);
    }

    /** Where the problem is: the address as given and the point, each null when unknown. No one's personal data. */
    record Location(String address, Double latitude, Double longitude) {
    }

    /** @param sequence the version the resolution gave the request: feedback names it to say which one it answers */
    record Resolution(String code, String note, Instant at, Long sequence) {
    }

    /** @param client the Open311 client application the customer's word came through; {@code at}: when it said so */
    record CustomerReport(String client, Instant at) {
    }
}
