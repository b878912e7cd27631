package org.city311.routing.work;

import java.time.Instant;

/** The events routing-service publishes on its topic, and the request-created event it reads. */
final class WorkEvents {

    static final String ROUTING_TOPIC = "city311.routing";

    private WorkEvents() {
    }

    /** Read from request-service's topic: only what routing needs. */
    record RequestCreated(String requestId, String serviceCode, String channel, String segment, Instant submittedAt,
            String description, java.util.Map<String, Object> attributes, Location location) {

        static final String TYPE = "city311.request.created.v1";

        /** Where the request is: the rules need only the point. */
        record Location(Double latitude, Double longitude) {
        }
    }

    /**
     * @param firstActionDueAt when the department's first action is due by the published standard
     * @param resolutionDueAt when the resolution is due by the published standard
     * @param district the district the request lies in, when it has a location inside one
     * @param agent the agent the department assigned it to, where it assigns work; it is still to be accepted
     */
    record RequestRouted(String requestId, String serviceCode, String department, String rule, Instant routedAt,
            long sequence, String status, Instant firstActionDueAt, Instant resolutionDueAt, String district,
            String agent) {

        static final String TYPE = "city311.request.routed.v1";
    }

    record RequestResolved(String requestId, String serviceCode, String department, String resolutionCode,
            String note, Instant resolvedAt, long sequence) {

        static final String TYPE = "city311.request.resolved.v1";
    }
}
