package org.city311.request.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.city311.request.RequestStatus;

/**
 * A batch's routing events of one request, applied in the order read to what the store held of it, in memory: what
 * they change, to be written in one update. The rules are those of one event at a time:
 * <ul>
 * <li>an event not on the timeline yet adds its step (a redelivery, within the batch or of one stored before, adds
 * nothing);</li>
 * <li>an event newer (by {@code sequence}) than every one applied so far moves the request: department, due times it
 * carries, and status, unless the request is a linked duplicate, which shows its parent's status instead;</li>
 * <li>an older one moves nothing, but a due time it carries that is newer than the one stored is still taken;</li>
 * <li>a parent's newest public status steps are followed by its linked duplicates; so is, again, the stored newest
 * one when it comes again (its duplicates may not have taken it when a batch was half written).</li>
 * </ul>
 * Pure: no store, no clock.
 */
final class TimelineFold {

    private TimelineFold() {
    }

    /**
     * What the store holds of a request, as far as the fold needs it.
     *
     * @param statusSequence the sequence of the newest event applied (null when the document has none)
     * @param eventIds the ids of the events on its timeline (those of the batch's events, at least)
     */
    record Stored(String requestId, Long statusSequence, String duplicateOf, List<String> duplicates,
            Long firstActionSequence, Long resolutionSequence, Set<String> eventIds) {

        /**
         * A request assumed to have none of {@code steps} yet, and no event as new as the oldest of them: the usual
         * case, which one conditional update checks in the store ({@link Plan#unseenSince}).
         */
        static Stored unseen(String requestId, List<RoutingStep> steps) {
            long oldest = steps.stream().mapToLong(RoutingStep::sequence).min().orElse(0);
            return new Stored(requestId, oldest - 1, null, List.of(), null, null, Set.of());
        }

        boolean linkedDuplicate() {
            return duplicateOf != null;
        }
    }

    /** A due time and the sequence of the event that set it. */
    record DueTime(Instant at, long sequence) {
    }

    /**
     * What the batch's events change on one request.
     *
     * @param recorded the events whose steps are added to the timeline, in order
     * @param newest the newest event applied, whose department and sequence the request then has; null when no event
     *        of the batch is newer than the stored ones
     * @param status the status the request is left with; null when unchanged
     * @param firstAction the first-action due time now, when an event changed it; else null
     * @param resolution the resolution due time now, when an event changed it; else null
     * @param district the district the last recorded event that names one says; else null
     * @param updatedAt the latest time of the recorded steps; null when none is recorded
     * @param followed the events its linked duplicates follow, in order (only on a request that is no duplicate)
     * @param changing the events that change anything, in order: each one's own guarded updates, should the
     *        request have changed in the store since it was read
     */
    record Plan(Stored stored, List<RoutingStep> recorded, RoutingStep newest, RequestStatus status,
            DueTime firstAction, DueTime resolution, String district, Instant updatedAt, List<RoutingStep> followed,
            List<RoutingStep> changing) {

        /** Whether anything is to be written to the request itself. */
        boolean writes() {
            return !recorded.isEmpty() || newest != null || firstAction != null || resolution != null;
        }

        /** The oldest sequence of the events, for {@link Stored#unseen}'s check: the stored one must be below it. */
        long unseenSince() {
            return stored.statusSequence() + 1;
        }
    }

    /** The events of one request ({@code steps}, in the order read) applied to {@code stored}. */
    static Plan plan(Stored stored, List<RoutingStep> steps) {
        boolean duplicate = stored.linkedDuplicate();
        long sequence = stored.statusSequence() == null ? Long.MIN_VALUE : stored.statusSequence();
        Long firstActionSequence = stored.firstActionSequence();
        Long resolutionSequence = stored.resolutionSequence();
        Set<String> onTimeline = new HashSet<>(stored.eventIds());
        Set<String> followedIds = new HashSet<>();
        List<RoutingStep> recorded = new ArrayList<>();
        List<RoutingStep> followed = new ArrayList<>();
        List<RoutingStep> changing = new ArrayList<>();
        RoutingStep newest = null;
        RequestStatus status = null;
        DueTime firstAction = null;
        DueTime resolution = null;
        String district = null;
        Instant updatedAt = null;
        for (RoutingStep step : steps) {
            boolean changes = false;
            if (onTimeline.add(step.eventId())) {
                recorded.add(step);
                changes = true;
                updatedAt = updatedAt == null || step.at().isAfter(updatedAt) ? step.at() : updatedAt;
                if (step.district() != null) {
                    district = step.district();
                }
            }
            else if (!duplicate && step.passedOn() && stored.eventIds().contains(step.eventId())
                    && stored.statusSequence() != null && step.sequence() == stored.statusSequence()
                    && followedIds.add(step.eventId())) {
                // the stored newest, again: its duplicates may have missed it (their updates are guarded)
                followed.add(step);
            }
            if (step.sequence() > sequence) {
                sequence = step.sequence();
                newest = step;
                changes = true;
                if (step.firstActionDueAt() != null) {
                    firstAction = new DueTime(step.firstActionDueAt(), sequence);
                    firstActionSequence = sequence;
                }
                if (step.resolutionDueAt() != null) {
                    resolution = new DueTime(step.resolutionDueAt(), sequence);
                    resolutionSequence = sequence;
                }
                if (!duplicate && step.status() != null) {
                    status = step.status();
                }
                if (!duplicate && step.passedOn() && followedIds.add(step.eventId())) {
                    followed.add(step);
                }
            }
            else {
                // an older event: its due times may still be the newest of their kind
                if (step.firstActionDueAt() != null
                        && (firstActionSequence == null || firstActionSequence < step.sequence())) {
                    firstAction = new DueTime(step.firstActionDueAt(), step.sequence());
                    firstActionSequence = step.sequence();
                    changes = true;
                }
                if (step.resolutionDueAt() != null
                        && (resolutionSequence == null || resolutionSequence < step.sequence())) {
                    resolution = new DueTime(step.resolutionDueAt(), step.sequence());
                    resolutionSequence = step.sequence();
                    changes = true;
                }
            }
            if (changes) {
                changing.add(step);
            }
        }
        return new Plan(stored, List.copyOf(recorded), newest, status, firstAction, resolution, district, updatedAt,
                List.copyOf(followed), List.copyOf(changing));
    }
}
