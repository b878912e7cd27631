package org.city311.request.duplicates;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Set;

import reactor.core.publisher.Mono;

import org.city311.contracts.Topics;
import org.city311.platform.events.CloudEvent;
import org.city311.platform.events.CloudEvents;
import org.city311.platform.outbox.PendingEvent;
import org.city311.platform.security.Caller;
import org.city311.platform.security.Role;
import org.city311.platform.web.Problems;
import org.city311.request.RequestStatus;
import org.city311.request.RequestStore;
import org.city311.request.ServiceRequest;
import org.city311.request.ServiceRequest.StatusChange;
import org.city311.request.status.RequestView;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Links a request to the one it duplicates (its parent: open, and not itself a duplicate). From then on it shows its
 * parent's status, so the resident who reported it second hears the same news as the first; it keeps its own
 * department, which decides who may read it. The link, its timeline step and its {@value RequestLinked#TYPE} event
 * are one update: routing-service then takes it out of its department's open work, and metrics-service stops
 * counting it as open.
 */
@RestController
class DuplicateLinks {

    private static final Set<RequestStatus> FINISHED = EnumSet.of(RequestStatus.RESOLVED, RequestStatus.CLOSED);

    private final ReactiveMongoTemplate mongo;
    private final CloudEvents cloudEvents;
    private final RequestStore requests;
    private final Clock clock;

    DuplicateLinks(ReactiveMongoTemplate mongo, CloudEvents cloudEvents, RequestStore requests, Clock clock) {
        this.mongo = mongo;
        this.cloudEvents = cloudEvents;
        this.requests = requests;
        this.clock = clock;
    }

    @PostMapping("/api/requests/{id}/duplicate-of/{parentId}")
    Mono<RequestView> link(@PathVariable String id, @PathVariable String parentId, Caller caller) {
        if (id.equals(parentId)) {
            return Mono.error(Problems.invalid("parentId", "a request cannot duplicate itself"));
        }
        // Staff link any request; a supervisor only one routed to their own department: checked first (before the
        // parent, whose existence is none of their business otherwise) and again in the update itself, so that a
        // transfer in between cannot slip through.
        boolean staff = caller.has(Role.STAFF);
        return mongo.findById(id, ServiceRequest.class)
                .switchIfEmpty(Mono.error(() -> Problems.notFound("No service request " + id + ".")))
                .flatMap(request -> {
                    if (!staff && !caller.supervises(request.department())) {
                        return Mono.error(Problems.forbidden("Request " + id + " is not routed to your department."));
                    }
                    if (request.duplicateOf() != null) {
                        return Mono.error(Problems.conflict(id + " is already linked as a duplicate of "
                                + request.duplicateOf() + "."));
                    }
                    return mongo.findById(parentId, ServiceRequest.class)
                            .switchIfEmpty(Mono.error(() -> Problems.notFound("No service request " + parentId + ".")))
                            .flatMap(parent -> link(request, parent, staff, caller));
                })
                .map(linked -> RequestView.forCaller(linked, caller));
    }

    private Mono<ServiceRequest> link(ServiceRequest request, ServiceRequest parent, boolean staff, Caller caller) {
        String id = request.id();
        String parentId = parent.id();
        if (parent.duplicateOf() != null) {
            return Mono.error(Problems.conflict(parentId + " is itself a duplicate of " + parent.duplicateOf()
                    + "; link to that one."));
        }
        if (parent.status() == null || FINISHED.contains(parent.status())) {
            return Mono.error(Problems.conflict(parentId + " is " + (parent.status() == null ? "not open"
                    : parent.status().wireName()) + "; a duplicate is linked to an open request."));
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        CloudEvent event = cloudEvents.create(RequestLinked.TYPE, id, new RequestLinked(id, parentId, now),
                caller.id());
        // The step names the request's own department: the link moves the status, not the request.
        StatusChange linked = new StatusChange(parent.status(), now, request.department(),
                "Linked as a duplicate of " + parentId + "; follows its status from now on", event.id(), now, null,
                "linked", caller.id(), event.source());
        return requests.linkAsDuplicate(id, parent, linked, PendingEvent.of(Topics.REQUESTS, event, cloudEvents), now,
                        staff ? null : caller.department())
                // nothing updated: linked or transferred meanwhile; say which
                .switchIfEmpty(Mono.defer(() -> mongo.findById(id, ServiceRequest.class)
                        .flatMap(current -> Mono.error(current.duplicateOf() != null
                                ? Problems.conflict(id + " is already linked as a duplicate.")
                                : Problems.forbidden("Request " + id + " is not routed to your department.")))));
    }
}
