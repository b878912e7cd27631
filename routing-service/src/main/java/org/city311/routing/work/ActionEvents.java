package org.city311.routing.work;

import java.time.Instant;

import org.city311.contracts.EventContract;

/**
 * The events of a department's actions on a request, published on {@code city311.routing} with the work item's
 * new {@code sequence} and the {@code status} it leaves the request in, so that every reader can follow the
 * request without a state machine of its own.
 */
final class ActionEvents {

    private ActionEvents() {
    }

    /** @param firstActionDueAt when the first action was due: the standard an acceptance is measured against */
    record RequestAccepted(String requestId, String serviceCode, String department, String status, String agent,
            Instant acceptedAt, long sequence, Instant firstActionDueAt) {

        static final String TYPE = EventContract.REQUEST_ACCEPTED;
    }

    /** A note: {@code public} ones are for the resident and the staff who filed it, {@code internal} ones are not. */
    record RequestUpdated(String requestId, String serviceCode, String department, String status, String visibility,
            String note, Instant updatedAt, long sequence) {

        static final String TYPE = EventContract.REQUEST_UPDATED;
    }

    /**
     * @param clockPaused whether the standard's clock stops while it is on hold (the due times move on resume)
     * @param visibility who may read the reason: {@code public}, or {@code internal} for city staff only (as with
     *        transfers and reopenings)
     */
    record RequestPutOnHold(String requestId, String serviceCode, String department, String status, String reason,
            Instant heldAt, long sequence, boolean clockPaused, String visibility) {

        static final String TYPE = EventContract.REQUEST_PUT_ON_HOLD;
    }

    /**
     * @param heldSeconds how long it was on hold, in seconds
     * @param resolutionDueAt the resolution due time after the hold (later, where the standard pauses the clock)
     */
    record RequestResumed(String requestId, String serviceCode, String department, String status, long heldSeconds,
            Instant resumedAt, long sequence, Instant resolutionDueAt) {

        static final String TYPE = EventContract.REQUEST_RESUMED;
    }

    /**
     * @param hop how many times this request has now been transferred: the runaround it has had
     * @param agent the agent the new department assigned it to, where it assigns work; it is still to be accepted
     * @param visibility who may read the reason: {@code public}, or {@code internal} for city staff only
     */
    record RequestTransferred(String requestId, String serviceCode, String fromDepartment, String toDepartment,
            String department, String status, String reason, String reasonCode, int hop, Instant transferredAt,
            long sequence, String agent, String visibility) {

        static final String TYPE = EventContract.REQUEST_TRANSFERRED;
    }

    /** The end of the road: the customer confirmed the resolution, or the survey window passed without a reopen. */
    record RequestClosed(String requestId, String serviceCode, String department, String status, String reason,
            Instant closedAt, long sequence) {

        static final String TYPE = EventContract.REQUEST_CLOSED;
    }

    /** @param visibility who may read the reason: {@code public}, or {@code internal} for city staff only */
    record RequestReopened(String requestId, String serviceCode, String department, String status, String reason,
            Instant reopenedAt, long sequence, String visibility) {

        static final String TYPE = EventContract.REQUEST_REOPENED;
    }
}
