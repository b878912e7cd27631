package org.city311.request.status;

import java.time.Instant;

/** The routing-service events this service reads: its own view of them (tolerant reader). */
final class RoutingEvents {

    static final String ROUTED = "city311.request.routed.v1";
    static final String RESOLVED = "city311.request.resolved.v1";

    private RoutingEvents() {
    }

    record RequestRouted(String requestId, String department, String rule, Instant routedAt, long sequence) {
    }

    record RequestResolved(String requestId, String department, String resolutionCode, String note,
            Instant resolvedAt, long sequence) {
    }
}
