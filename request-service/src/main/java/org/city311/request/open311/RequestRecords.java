package org.city311.request.open311;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.city311.request.PublicTimeline;
import org.city311.request.RequestStatus;
import org.city311.request.ServiceRequest;
import org.city311.request.ServiceRequest.StatusChange;
import org.city311.request.catalog.CatalogSnapshot;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

/**
 * A stored request as Open311 shows it: what the city knows and does about it, never who reported it (no name,
 * email, phone or account, and not who filed it).
 */
final class RequestRecords {

    /** Open311 knows two statuses; resolved and closed requests are {@code closed}, everything else {@code open}. */
    static final Set<RequestStatus> CLOSED = Collections.unmodifiableSet(
            EnumSet.of(RequestStatus.RESOLVED, RequestStatus.CLOSED));
    static final Set<RequestStatus> OPEN = Collections.unmodifiableSet(EnumSet.complementOf(EnumSet.copyOf(CLOSED)));

    /** Timeline entries recorded from POST servicerequestupdates carry event ids with this prefix. */
    static final String CLIENT_UPDATE = "open311-update:";

    private RequestRecords() {
    }

    /**
     * Reads only what Open311 may show: never an internal request (one department asking another for a service),
     * and of the others never the resident's or added callers' details (nor their keys), who filed it or the
     * pending events, which are not even loaded, so no later change to the rendering can leak them.
     */
    static Query visible(Query query) {
        query.fields().exclude("resident", "filedBy", "outbox", "additionalReporters", "callerKeys");
        return published(query);
    }

    /** Only the requests Open311 knows of: an internal request is never listed, read or updated there. */
    static Query published(Query query) {
        return query.addCriteria(Criteria.where("segment").ne(ServiceRequest.Segment.INTERNAL));
    }

    static String status(RequestStatus status) {
        return CLOSED.contains(status) ? "closed" : "open";
    }

    static boolean fromClient(StatusChange change) {
        return change.eventId() != null && change.eventId().startsWith(CLIENT_UPDATE);
    }

    /**
     * One step of a request's timeline as the public may see it.
     *
     * @param status the request's status after the step (a note that changed nothing keeps the one before)
     * @param note the step's words, without staff members' names
     */
    record PublicStep(StatusChange change, RequestStatus status, String note) {

        boolean fromClient() {
            return RequestRecords.fromClient(change);
        }
    }

    /**
     * One {@code <request>}.
     *
     * @param catalog for service and department names; without it (not received yet) the codes are shown
     * @param extensions adds {@code extended_attributes} and {@code notes} (Open311 wiki / Chicago extension)
     */
    static Node.Group request(ServiceRequest request, Optional<CatalogSnapshot> catalog, String mediaUrl,
            boolean extensions) {
        Optional<CatalogSnapshot.Service> service = catalog.flatMap(known -> known.service(request.serviceCode()));
        ServiceRequest.Location location = request.location();
        List<PublicStep> timeline = timeline(request, catalog);
        List<Node> fields = new ArrayList<>(List.of(
                Node.field("service_request_id", request.id()),
                Node.field("status", status(request.status())),
                Node.field("status_notes", statusNotes(timeline)),
                Node.field("service_name", service.map(CatalogSnapshot.Service::name).orElse(request.serviceCode())),
                Node.field("service_code", request.serviceCode()),
                Node.field("description", request.description()),
                Node.field("agency_responsible", agency(request, catalog, service)),
                Node.field("service_notice", null),
                Node.field("requested_datetime", request.submittedAt()),
                Node.field("updated_datetime", request.updatedAt()),
                Node.field("expected_datetime", null),
                Node.field("address", location == null ? null : location.address()),
                Node.field("address_id", null),
                Node.field("zipcode", null),
                Node.field("lat", location == null ? null : location.latitude()),
                Node.field("long", location == null ? null : location.longitude()),
                Node.field("media_url", mediaUrl)));
        if (extensions) {
            fields.add(Node.group("extended_attributes",
                    Node.field("channel", request.channel() == null ? null : request.channel().wireName()),
                    Node.field("duplicate", request.duplicateOf() != null),
                    Node.field("parent_service_request_id", request.duplicateOf())));
            fields.add(Node.items("notes", timeline.stream()
                    .map(step -> Node.group("note",
                            Node.field("datetime", step.change().at()),
                            Node.field("description", step.note()),
                            Node.field("type", step.fromClient() ? "update" : "activity"),
                            Node.field("summary", label(step.change().kindOrStatus()))))
                    .toList()));
        }
        return Node.group("request", fields);
    }

    /**
     * The public steps of the timeline, oldest first: a department's internal notes are never shown outside the
     * city, and the note of an acceptance, which names the staff member, names the department instead.
     */
    static List<PublicStep> timeline(ServiceRequest request, Optional<CatalogSnapshot> catalog) {
        return PublicTimeline.of(request, catalog).stream()
                .map(step -> new PublicStep(step.change(), step.status(), step.note())).toList();
    }

    /** The newest public note from the city; notes sent by clients are shown in notes, not as the city's word. */
    private static String statusNotes(List<PublicStep> timeline) {
        for (int i = timeline.size() - 1; i >= 0; i--) {
            PublicStep step = timeline.get(i);
            if (!step.fromClient() && step.note() != null && !step.note().isBlank()) {
                return step.note();
            }
        }
        return null;
    }

    /**
     * The department working on it, by name; before routing, the one the catalog gives the service, which is
     * where it normally goes.
     */
    private static String agency(ServiceRequest request, Optional<CatalogSnapshot> catalog,
            Optional<CatalogSnapshot.Service> service) {
        String department = request.department() != null ? request.department()
                : service.map(CatalogSnapshot.Service::department).orElse(null);
        return department == null ? null : departmentName(department, catalog);
    }

    private static String departmentName(String department, Optional<CatalogSnapshot> catalog) {
        return PublicTimeline.departmentName(department, catalog);
    }

    /** {@code put-on-hold} → "Put on hold". */
    private static String label(String kind) {
        String words = kind.replace('_', ' ').replace('-', ' ');
        return words.isEmpty() ? words : words.substring(0, 1).toUpperCase(Locale.ROOT) + words.substring(1);
    }
}
