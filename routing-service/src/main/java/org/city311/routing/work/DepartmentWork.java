package org.city311.routing.work;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.city311.platform.events.CloudEvent;
import org.city311.platform.events.CloudEvents;
import org.city311.platform.outbox.OutboxRelay;
import org.city311.platform.outbox.PendingEvent;
import org.city311.platform.web.Problems;
import org.city311.routing.catalog.ServiceCatalog;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Service;

/**
 * What a department does with its work. Every action is a guarded update on the work item's version, so an
 * illegal or concurrent action is refused with a clear problem instead of silently changing anything.
 */
@Service
class DepartmentWork {

    private final ReactiveMongoTemplate mongo;
    private final ServiceCatalog catalog;
    private final CloudEvents cloudEvents;
    private final OutboxRelay outboxRelay;
    private final Clock clock;

    DepartmentWork(ReactiveMongoTemplate mongo, ServiceCatalog catalog, CloudEvents cloudEvents,
            OutboxRelay outboxRelay, Clock clock) {
        this.mongo = mongo;
        this.catalog = catalog;
        this.cloudEvents = cloudEvents;
        this.outboxRelay = outboxRelay;
        this.clock = clock;
    }

    /** The department's open work, oldest first. */
    Flux<WorkItem> queue(String department) {
        if (catalog.current().department(department).isEmpty()) {
            return Flux.error(Problems.notFound("No department " + department + "."));
        }
        Query open = Query.query(Criteria.where("department").is(department).and("status").in(WorkStatus.OPEN))
                .with(Sort.by("routedAt", "_id"));
        return mongo.find(open, WorkItem.class);
    }

    Mono<WorkItem> resolve(String requestId, String resolutionCode, String note) {
        return mongo.findById(requestId, WorkItem.class)
                .switchIfEmpty(Mono.error(() -> Problems.notFound("No work for request " + requestId + ".")))
                .flatMap(item -> {
                    if (!WorkStatus.OPEN.contains(item.status())) {
                        return Mono.error(Problems.conflict("Request " + requestId + " is already "
                                + item.status().wireName() + "; reopen it first."));
                    }
                    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
                    long sequence = item.sequence() + 1;
                    CloudEvent resolved = cloudEvents.create(WorkEvents.RequestResolved.TYPE, requestId,
                            new WorkEvents.RequestResolved(requestId, item.serviceCode(), item.department(),
                                    resolutionCode, note, now, sequence));
                    Update update = new Update()
                            .set("status", WorkStatus.RESOLVED)
                            .set("sequence", sequence)
                            .set("updatedAt", now)
                            .set("resolution", new WorkItem.Resolution(resolutionCode, note, now))
                            .push("outbox", PendingEvent.of(WorkEvents.ROUTING_TOPIC, resolved, cloudEvents));
                    return guardedUpdate(item, update);
                });
    }

    private Mono<WorkItem> guardedUpdate(WorkItem item, Update update) {
        Query unchangedSinceRead = Query.query(Criteria.where("_id").is(item.id()).and("sequence").is(item.sequence()));
        return mongo.findAndModify(unchangedSinceRead, update,
                        org.springframework.data.mongodb.core.FindAndModifyOptions.options().returnNew(true),
                        WorkItem.class)
                .switchIfEmpty(Mono.error(() -> Problems.conflict("Request " + item.id()
                        + " was changed by someone else meanwhile; reload it and try again.")))
                .doOnSuccess(changed -> outboxRelay.wakeUp());
    }
}
