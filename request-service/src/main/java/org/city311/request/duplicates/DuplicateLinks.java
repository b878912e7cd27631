package org.city311.request.duplicates;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import reactor.core.publisher.Mono;

import org.city311.platform.security.Caller;
import org.city311.platform.security.Role;
import org.city311.platform.web.Problems;
import org.city311.request.ServiceRequest;
import org.city311.request.ServiceRequest.StatusChange;
import org.city311.request.status.RequestView;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Links a request to the one it duplicates. From then on it shows its parent's status and department, so the
 * resident who reported it second hears the same news as the first.
 */
@RestController
class DuplicateLinks {

    private final ReactiveMongoTemplate mongo;
    private final Clock clock;

    DuplicateLinks(ReactiveMongoTemplate mongo, Clock clock) {
        this.mongo = mongo;
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
        Mono<ServiceRequest> mayLink = staff ? Mono.empty()
                : mongo.findById(id, ServiceRequest.class).filter(request -> !caller.supervises(request.department()))
                        .flatMap(request -> Mono.error(Problems.forbidden("Request " + id
                                + " is not routed to your department.")));
        return mayLink.then(mongo.findById(parentId, ServiceRequest.class))
                .switchIfEmpty(Mono.error(() -> Problems.notFound("No service request " + parentId + ".")))
                .flatMap(parent -> {
                    if (parent.duplicateOf() != null) {
                        return Mono.error(Problems.conflict(parentId + " is itself a duplicate of "
                                + parent.duplicateOf() + "; link to that one."));
                    }
                    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
                    StatusChange linked = StatusChange.madeHere(parent.status(), now, parent.department(),
                            "Linked as a duplicate of " + parentId + "; follows its status from now on",
                            "duplicate-of:" + parentId, caller.id());
                    Criteria unlinked = Criteria.where("_id").is(id).and("duplicateOf").isNull();
                    if (!staff) {
                        unlinked = unlinked.and("department").is(caller.department());
                    }
                    Update update = new Update().set("duplicateOf", parentId).set("status", parent.status())
                            .set("department", parent.department()).set("updatedAt", now).push("history", linked);
                    return mongo.findAndModify(Query.query(unlinked), update,
                            FindAndModifyOptions.options().returnNew(true), ServiceRequest.class);
                })
                // nothing updated: say why, reading the request only on this path
                .switchIfEmpty(Mono.defer(() -> mongo.findById(id, ServiceRequest.class)
                        .switchIfEmpty(Mono.error(() -> Problems.notFound("No service request " + id + ".")))
                        .flatMap(request -> Mono.error(request.duplicateOf() != null
                                ? Problems.conflict(id + " is already linked as a duplicate.")
                                : Problems.forbidden("Request " + id + " is not routed to your department.")))))
                .map(linked -> RequestView.forCaller(linked, caller));
    }
}
