package org.city311.routing.work;

import java.time.Instant;

import org.city311.contracts.EventContract;

/** The events routing-service publishes on its topic, and the request-created and -linked events it reads. */
final class WorkEvents {

    private WorkEvents() {
    }

    /**
     * Read from request-service's topic: only what routing needs (the event carries no resident's personal data; a
     * field this record does not name is ignored, so nothing else reaches the store).
     */
    record RequestCreated(String requestId, String serviceCode, String channel, String segment, Instant submittedAt,
            String description, java.util.Map<String, Object> attributes, Location location, String team) {

        static final String TYPE = EventContract.REQUEST_CREATED;

        /** Where the request is: the rules need the point, the queue shows the address too. */
        record Location(String address, Double latitude, Double longitude) {
        }
    }

    /** Read from request-service's topic: a request linked as a duplicate of another, open one. */
    record RequestLinked(String requestId, String parentRequestId, Instant linkedAt) {

        static final String TYPE = EventContract.REQUEST_LINKED;
    }

    /**
     * @param firstActionDueAt when the department's first action is due by the published standard
     * @param resolutionDueAt when the resolution is due by the published standard
     * @param district the district the request lies in, when it has a location inside one
     * @param agent the agent the department assigned it to, where it assigns work; it is still to be accepted
     * @param submittedAt when the resident asked: where the standard's clock starts
     * @param channel how the request came in, and {@code segment} whose it is: so that readers of this topic can
     *        measure service levels per channel and customer segment without joining the requests topic
     * @param team the filing staff member's team, copied likewise: a later transfer is counted per filing team
     */
    record RequestRouted(String requestId, String serviceCode, String department, String rule, Instant routedAt,
            long sequence, String status, Instant firstActionDueAt, Instant resolutionDueAt, String district,
            String agent, Instant submittedAt, String channel, String segment, String team) {

        static final String TYPE = EventContract.REQUEST_ROUTED;
    }

    /**
     * @param firstActionAt when the department first acted on the request (this resolution, if it never accepted)
     * @param firstActionDueAt and {@code resolutionDueAt}: the due times in effect when it was resolved
     * @param pausedSeconds how long the standard's clock was paused (time on hold, where the standard pauses it)
     */
    record RequestResolved(String requestId, String serviceCode, String department, String resolutionCode,
            String note, Instant resolvedAt, long sequence, Instant firstActionAt, Instant firstActionDueAt,
            Instant resolutionDueAt, long pausedSeconds) {

        static final String TYPE = EventContract.REQUEST_RESOLVED;
    }
}
