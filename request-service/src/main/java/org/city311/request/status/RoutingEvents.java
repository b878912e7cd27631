package org.city311.request.status;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;

import org.city311.contracts.EventContract;
import org.city311.request.RequestStatus;

/**
 * The routing-service events this service reads, as one tolerant record: each type fills the fields it has, and
 * each type's entry below says what staff see in the timeline.
 */
final class RoutingEvents {

    private RoutingEvents() {
    }

    record RoutingChange(String requestId, String department, String status, String rule, String agent,
            String visibility, String note, String reason, String resolutionCode, String fromDepartment,
            String toDepartment, Long heldSeconds, Integer hop, Instant routedAt, Instant acceptedAt,
            Instant updatedAt, Instant heldAt, Instant resumedAt, Instant transferredAt, Instant resolvedAt,
            Instant reopenedAt, Instant closedAt, long sequence, Instant firstActionDueAt, Instant resolutionDueAt,
            String district) {

        RequestStatus statusOr(RequestStatus fallback) {
            return Arrays.stream(RequestStatus.values()).filter(known -> known.wireName().equals(status))
                    .findFirst().orElse(fallback);
        }
    }

    /**
     * For each event type: the status it leaves, when it happened, and the timeline's words for it.
     *
     * @param withoutReason for the types whose free-text {@code reason} has a {@code visibility} of its own (hold,
     *        transfer, reopen): the public words when the reason is {@code internal}; null for the other types,
     *        whose {@code visibility}, if any, is the whole step's (a note)
     */
    record Step(Function<RoutingChange, RequestStatus> status, Function<RoutingChange, Instant> at,
            Function<RoutingChange, String> note, Function<RoutingChange, String> withoutReason) {

        Step(Function<RoutingChange, RequestStatus> status, Function<RoutingChange, Instant> at,
                Function<RoutingChange, String> note) {
            this(status, at, note, null);
        }

        /** Whether this event's reason is for city staff only: the step is public, its reason is not. */
        boolean internalReason(RoutingChange change) {
            return withoutReason != null && "internal".equals(change.visibility());
        }
    }

    static final Map<String, Step> STEPS = Map.of(
            EventContract.REQUEST_ROUTED, new Step(change -> RequestStatus.ROUTED, RoutingChange::routedAt,
                    change -> "Routed to " + change.department() + " (rule: " + change.rule() + ")"),
            EventContract.REQUEST_ACCEPTED, new Step(change -> change.statusOr(RequestStatus.IN_PROGRESS),
                    RoutingChange::acceptedAt, change -> "Accepted by " + change.agent()),
            EventContract.REQUEST_UPDATED, new Step(change -> change.statusOr(null), RoutingChange::updatedAt,
                    RoutingChange::note),
            EventContract.REQUEST_PUT_ON_HOLD, new Step(change -> change.statusOr(RequestStatus.ON_HOLD),
                    RoutingChange::heldAt, change -> "On hold: " + change.reason(), change -> "On hold"),
            EventContract.REQUEST_RESUMED, new Step(change -> change.statusOr(RequestStatus.IN_PROGRESS),
                    RoutingChange::resumedAt, change -> "Resumed after " + held(change.heldSeconds()) + " on hold"),
            EventContract.REQUEST_TRANSFERRED, new Step(change -> change.statusOr(RequestStatus.ROUTED),
                    RoutingChange::transferredAt, change -> "Transferred from " + change.fromDepartment() + " to "
                            + change.toDepartment() + ": " + change.reason(),
                    change -> "Transferred from " + change.fromDepartment() + " to " + change.toDepartment()),
            EventContract.REQUEST_RESOLVED, new Step(change -> RequestStatus.RESOLVED, RoutingChange::resolvedAt,
                    change -> change.note() != null ? change.note() : "Resolved (" + change.resolutionCode() + ")"),
            EventContract.REQUEST_REOPENED, new Step(change -> change.statusOr(RequestStatus.REOPENED),
                    RoutingChange::reopenedAt, change -> "Reopened: " + change.reason(), change -> "Reopened"),
            EventContract.REQUEST_CLOSED, new Step(change -> RequestStatus.CLOSED, RoutingChange::closedAt,
                    change -> "Closed: " + change.reason()));

    private static String held(Long seconds) {
        Duration held = Duration.ofSeconds(seconds == null ? 0 : seconds);
        return held.toHours() > 0 ? held.toHours() + " h " + held.toMinutesPart() + " min"
                : held.toMinutes() + " min";
    }
}
