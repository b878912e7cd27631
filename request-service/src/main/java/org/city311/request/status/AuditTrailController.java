package org.city311.request.status;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import reactor.core.publisher.Mono;

import org.city311.platform.security.Caller;
import org.city311.platform.security.Role;
import org.city311.platform.web.Problems;
import org.city311.request.RequestStatus;
import org.city311.request.ServiceRequest;
import org.city311.request.ServiceRequest.StatusChange;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Who changed what on a request, in the order it happened, across every service: filing, routing and every
 * department action, links, feedback. For auditors and admins, and for the supervisors of the department the
 * request is routed to. No resident's details and no note texts: the timeline shows those to whoever may see them.
 */
@RestController
class AuditTrailController {

    private final ReactiveMongoTemplate mongo;

    AuditTrailController(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    @GetMapping("/api/requests/{id}/audit")
    Mono<AuditTrail> audit(@PathVariable String id, Caller caller) {
        return mongo.findById(id, ServiceRequest.class)
                .switchIfEmpty(Mono.error(() -> Problems.notFound("No service request " + id + ".")))
                .map(request -> {
                    if (!caller.hasAny(Role.AUDITOR, Role.ADMIN) && !caller.supervises(request.department())) {
                        throw Problems.forbidden("The audit trail of " + id + " is for auditors and the supervisors "
                                + "of the department it is routed to.");
                    }
                    return AuditTrail.of(request);
                });
    }

    /**
     * @param changes oldest first
     */
    record AuditTrail(String requestId, String filedBy, List<Change> changes) {

        static AuditTrail of(ServiceRequest request) {
            List<Change> changes = request.history().stream()
                    .sorted(Comparator.comparing(StatusChange::at, Comparator.nullsFirst(Comparator.naturalOrder()))
                            .thenComparing(StatusChange::recordedAt, Comparator.nullsFirst(Comparator.naturalOrder())))
                    .map(change -> Change.of(change, request))
                    .toList();
            return new AuditTrail(request.id(), request.filedBy(), changes);
        }
    }

    /**
     * One change.
     *
     * @param by who made it; {@code null} when the platform did (routing rules, a survey window that closed)
     * @param service which service made it
     */
    record Change(Instant at, Instant recordedAt, String kind, RequestStatus status, String department, String by,
            String service, String visibility, String eventId) {

        /** Sources are the producers' CloudEvent sources, {@code /city311/<service>}: shown as the service. */
        private static final String SOURCE_PREFIX = "/city311/";

        static Change of(StatusChange change, ServiceRequest request) {
            // The filing step of requests filed before who-did-what was kept: its filer is on the request itself.
            String by = change.by() == null && "submitted".equals(change.kindOrStatus()) ? request.filedBy()
                    : change.by();
            String service = change.source() != null && change.source().startsWith(SOURCE_PREFIX)
                    ? change.source().substring(SOURCE_PREFIX.length()) : change.source();
            return new Change(change.at(), change.recordedAt(), change.kindOrStatus(), change.status(),
                    change.department(), by, service, change.internal() ? "internal" : "public", change.eventId());
        }
    }
}
