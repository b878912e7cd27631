package org.city311.request.intake;

import java.time.Instant;
import java.util.Map;

import org.city311.contracts.EventContract;

/**
 * A request was accepted. Published as {@value #TYPE}; carries no personal data of the resident.
 *
 * @param requestingDepartment for an internal request, the department that asked
 * @param team the team of the staff member who filed it (their token's {@code team}), for misrouting counted per
 *        team; null for a filing by no team, or from outside (Open311)
 */
record RequestCreated(
        String requestId,
        String serviceCode,
        String description,
        String channel,
        String segment,
        Location location,
        Map<String, Object> attributes,
        String requestingDepartment,
        Instant submittedAt,
        String team) {

    static final String TYPE = EventContract.REQUEST_CREATED;

    record Location(String address, Double latitude, Double longitude) {
    }
}
