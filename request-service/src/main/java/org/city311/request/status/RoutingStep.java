package org.city311.request.status;

import java.time.Instant;
import java.util.List;

import org.city311.platform.events.CloudEvent;
import org.city311.request.RequestStatus;
import org.city311.request.ServiceRequest.StatusChange;

/**
 * What one routing event asks of its request, read before anything is written: its timeline step (and the
 * staff-only entry of its reason, if the reason is internal), and where it leaves the request if it is the newest
 * event applied.
 *
 * @param at when it happened (the event's own time when its data says none)
 * @param kind what happened: the event type's middle, {@code routed}, {@code accepted}, ...
 * @param status the status it leaves; null for a note that changes none
 * @param note the step's words, public unless {@code visibility} is {@code internal}
 * @param internalNote when the event's reason is for staff only: that reason, an internal entry beside the step
 */
record RoutingStep(String requestId, String eventId, long sequence, String kind, RequestStatus status, Instant at,
        String department, String note, String visibility, String internalNote, String by, String source,
        Instant firstActionDueAt, Instant resolutionDueAt, String district) {

    static RoutingStep of(RoutingEvents.RoutingChange change, RoutingEvents.Step step, CloudEvent event) {
        String note = step.note().apply(change);
        String publicNote = note;
        String visibility;
        String internalNote = null;
        if (step.internalReason(change)) {
            // The step is public without its reason; the reason is a staff-only entry of the same event.
            publicNote = step.withoutReason().apply(change);
            visibility = null;
            internalNote = note;
        }
        else {
            // A reason's visibility is the reason's alone; a note's (updated) is the whole step's.
            visibility = step.withoutReason() != null ? null : change.visibility();
        }
        Instant at = step.at().apply(change);
        // city311.request.<kind>.v1
        String kind = event.type().replaceFirst("^city311\\.request\\.", "").replaceFirst("\\.v\\d+$", "");
        return new RoutingStep(change.requestId(), event.id(), change.sequence(), kind, step.status().apply(change),
                at != null ? at : event.time(), change.department(), publicNote, visibility, internalNote,
                event.actedby(), event.source(), change.firstActionDueAt(), change.resolutionDueAt(),
                change.district());
    }

    /** Whether linked duplicates follow it: it moves the status, and publicly. */
    boolean passedOn() {
        return status != null && !"internal".equals(visibility);
    }

    /** Its entries on the request's timeline, written down at {@code recordedAt}: one, or two with a staff-only reason. */
    List<StatusChange> entries(Instant recordedAt) {
        StatusChange entry = new StatusChange(status, at, department, note, eventId, recordedAt, visibility, kind, by,
                source);
        if (internalNote == null) {
            return List.of(entry);
        }
        return List.of(entry, new StatusChange(null, at, department, internalNote, eventId, recordedAt, "internal",
                kind, by, source));
    }

    /**
     * Its public step as a linked duplicate of {@code parentId} shows it: the parent's status, not its department
     * (that stays the duplicate's own, which decides who may read it).
     */
    StatusChange followed(String parentId, Instant recordedAt) {
        return new StatusChange(status, at, department, "Follows " + parentId + ": " + (note == null ? kind : note),
                eventId, recordedAt, null, kind, by, source);
    }
}
