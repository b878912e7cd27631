package org.city311.request.status;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.city311.platform.security.Caller;
import org.city311.request.access.RequestAccess;
import org.city311.request.Channel;
import org.city311.request.RequestStatus;
import org.city311.request.ServiceRequest;

/**
 * A request as staff see it, with its timeline oldest first.
 *
 * @param mediaUrls photos and other media sent with it (Open311's media_url), empty when none
 * @param firstActionDueAt when the department's first action is due by the service's published standard (routing-service's
 *        word, from its events); null before routing or without a standard
 * @param resolutionDueAt when the resolution is due, likewise (later after holds where the standard pauses its clock)
 * @param district the district the location lies in, once routed
 * @param reporterCount how many people reported it: whoever it was filed for, and each caller added since
 * @param additionalReporters those added callers, with their details and consent: only for whom the resident's
 *        details are shown (absent otherwise)
 * @param possibleDuplicates only when it was just filed: open requests for the same service close by
 */
public record RequestView(
        String id,
        RequestStatus status,
        String serviceCode,
        String description,
        Channel channel,
        String segment,
        String department,
        String requestingDepartment,
        String duplicateOf,
        ServiceRequest.Location location,
        ServiceRequest.Resident resident,
        Map<String, Object> attributes,
        List<String> mediaUrls,
        String filedBy,
        Instant submittedAt,
        Instant updatedAt,
        List<HistoryEntry> history,
        Instant firstActionDueAt,
        Instant resolutionDueAt,
        String district,
        int reporterCount,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<Reporter> additionalReporters,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<PossibleDuplicate> possibleDuplicates) {

    /** An open request of the same service nearby, offered to the call-taker as possibly the same problem. */
    public record PossibleDuplicate(String id, RequestStatus status, String address, double distanceMeters,
            Instant submittedAt) {
    }

    /** The request as this caller may see it: without the resident's details unless they may see them. */
    public static RequestView forCaller(ServiceRequest request, Caller caller) {
        RequestView view = of(request);
        return RequestAccess.seesPersonalData(caller, request) ? view : view.withoutPersonalData();
    }

    /** The same view without the resident's name and contact details. */
    public RequestView withoutPersonalData() {
        return new RequestView(id, status, serviceCode, description, channel, segment, department,
                requestingDepartment, duplicateOf, location, null, attributes, mediaUrls, filedBy, submittedAt,
                updatedAt, history, firstActionDueAt, resolutionDueAt, district, reporterCount, null,
                possibleDuplicates);
    }

    public static RequestView of(ServiceRequest request) {
        return of(request, null);
    }

    public static RequestView of(ServiceRequest request, List<PossibleDuplicate> possibleDuplicates) {
        List<HistoryEntry> history = request.history().stream()
                .sorted(Comparator.comparing(ServiceRequest.StatusChange::at))
                .map(change -> new HistoryEntry(change.kindOrStatus(), change.status(), change.at(),
                        change.department(), change.note(), change.internal() ? "internal" : "public"))
                .toList();
        return new RequestView(request.id(), request.status(), request.serviceCode(), request.description(),
                request.channel(), request.segment().name().toLowerCase(Locale.ROOT), request.department(),
                request.requestingDepartment(), request.duplicateOf(), request.location(), request.resident(),
                request.attributes(), request.mediaUrls() == null ? List.of() : request.mediaUrls(), request.filedBy(), request.submittedAt(),
                request.updatedAt(), history, request.due() == null ? null : request.due().firstActionDueAt(),
                request.due() == null ? null : request.due().resolutionDueAt(), request.district(),
                request.reporterCount(), request.additionalReporters() == null ? List.of()
                        : request.additionalReporters().stream().map(Reporter::of).toList(),
                possibleDuplicates);
    }

    /** A caller added to the request: personal data. */
    public record Reporter(String id, ServiceRequest.Resident resident, String note, String addedBy,
            Instant addedAt) {

        static Reporter of(ServiceRequest.AdditionalReporter reporter) {
            return new Reporter(reporter.id(), reporter.resident(), reporter.note(), reporter.addedBy(),
                    reporter.addedAt());
        }
    }

    public record HistoryEntry(String kind, RequestStatus status, Instant at, String department, String note,
            String visibility) {
    }
}
