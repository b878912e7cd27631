package org.city311.request;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.city311.platform.outbox.PendingEvent;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A service request as request-service stores it: one document holds the request, its timeline and the events
 * still to be published about it, so that every change is a single atomic update.
 *
 * @param requestingDepartment for an internal request, the department asking for the service
 * @param duplicateOf the request this one duplicates, whose status it then follows
 * @param token the Open311 token of a request to a batch service, answered before its id
 * @param statusSequence the sequence of the newest routing event applied; older or repeated ones do not move the status
 * @param due when the department's work is due, as routing-service last said (null before routing, or for a service
 *        without a published standard)
 * @param district the district the location lies in, as routing-service found it (null before routing, or outside
 *        every district)
 * @param callerKeys the keys of the reporters' phone numbers and e-mail addresses ({@link CallerKeys}), by which staff
 *        find a caller's earlier requests; null on requests stored before they were kept, until the backfill at
 *        start has given them theirs
 * @param additionalReporters callers who reported the same problem after it was filed ("this is the same"): personal
 *        data, shown only to whom the resident's details are
 * @param duplicates the requests linked as duplicates of this one (written before each link, so it may name one whose
 *        link then failed: those that follow it are the ones whose {@code duplicateOf} is this one): its status
 *        changes are passed on to them by their ids, and only when there are any
 * @param cell the grid cell of its service and location ({@code PossibleDuplicates}), by which open requests near a
 *        point are found through one index on any store; null without coordinates
 */
@Document(ServiceRequest.COLLECTION)
public record ServiceRequest(
        @Id String id,
        String serviceCode,
        String description,
        Channel channel,
        Segment segment,
        Location location,
        Resident resident,
        Map<String, Object> attributes,
        String filedBy,
        String requestingDepartment,
        String duplicateOf,
        String token,
        RequestStatus status,
        String department,
        long statusSequence,
        List<StatusChange> history,
        Instant submittedAt,
        Instant updatedAt,
        List<PendingEvent> outbox,
        List<String> mediaUrls,
        Due due,
        String district,
        List<AdditionalReporter> additionalReporters,
        List<String> callerKeys,
        List<String> duplicates,
        String cell) {

    public static final String COLLECTION = "requests";

    /**
     * The due times of the department's work, each with the {@code sequence} of the routing event that set it: an
     * older or repeated event never overwrites a newer one's, whatever the order they arrive in (routed sets both,
     * resumed may move the resolution later, a transfer keeps both).
     */
    public record Due(Instant firstActionDueAt, Long firstActionSequence, Instant resolutionDueAt,
            Long resolutionSequence) {
    }

    /** Residents, or one department asking another: metrics keep the two customer segments apart. */
    public enum Segment {
        RESIDENT, INTERNAL
    }

    /** How many people reported it: whoever it was filed for, and every caller added since. */
    public int reporterCount() {
        return 1 + (additionalReporters == null ? 0 : additionalReporters.size());
    }

    /**
     * A caller added to the request: their details and consent, kept apart from the first resident's.
     *
     * @param id this report's own id
     * @param addedBy the staff member who took the call (their id, from their token)
     * @param idempotencyKey the adding client's key, scoped to {@code addedBy}: a retry adds nobody twice
     * @param fingerprint what made the first attempt with that key, so the same key with another caller is refused
     */
    public record AdditionalReporter(String id, Resident resident, String note, String addedBy, Instant addedAt,
            String idempotencyKey, String fingerprint) {
    }

    public record Location(String address, Double latitude, Double longitude) {
    }

    /** The resident's contact details: personal data, shown to staff only and never put in events. */
    public record Resident(String firstName, String lastName, String phone, String email, Boolean consentToContact) {
    }

    /**
     * One step of the timeline.
     *
     * @param at when it happened
     * @param eventId the event that caused it, so a redelivered event is not recorded twice
     * @param recordedAt when this service wrote it down: the order in which live streams deliver changes
     * @param visibility {@code internal} for a department's internal note, never shown outside the city; else public
     * @param kind what happened: {@code submitted}, {@code routed}, {@code accepted}, {@code updated},
     *        {@code put-on-hold}, {@code resumed}, {@code transferred}, {@code resolved}, {@code reopened}, ...
     * @param by who made the change (a staff member's id, {@code open311:<client>}, {@code resident}); null when the
     *        platform did, or for steps recorded before it was kept
     * @param source the service that made the change, from its event's {@code source}
     */
    public record StatusChange(RequestStatus status, Instant at, String department, String note, String eventId,
            Instant recordedAt, String visibility, String kind, String by, String source) {

        @PersistenceCreator
        public StatusChange {
        }

        /** A public change made here at {@code at} (the service's clock) by {@code by}, named after its status. */
        public static StatusChange madeHere(RequestStatus status, Instant at, String department, String note,
                String eventId, String by) {
            return new StatusChange(status, at, department, note, eventId, at.truncatedTo(ChronoUnit.MILLIS), null,
                    status == null ? "updated" : status.wireName(), by, "/city311/request-service");
        }

        /** What happened, for records written before kinds were kept. */
        public String kindOrStatus() {
            return kind != null ? kind : status == null ? "updated" : status.wireName();
        }

        public boolean internal() {
            return "internal".equals(visibility);
        }
    }
}
