package org.city311.routing.work;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.city311.platform.events.CloudEvent;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Takes a request linked as a duplicate out of its department's open work: its work item is closed here, names its
 * parent, and refuses every action from then on. Its resident follows the parent's status (request-service), so the
 * department works the parent; a duplicate is not resolved, and nothing is published for it (its link, published
 * by request-service, tells every reader).
 * <p>
 * Every link is recorded first, by request id, so a link that overtakes the request's routing still takes effect
 * when the request is routed ({@link Routing}); both steps are guarded, so a redelivered link changes nothing.
 */
@Component
class DuplicateLinks {

    private static final Logger log = LoggerFactory.getLogger(DuplicateLinks.class);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);

    private final ReactiveMongoTemplate mongo;
    private final QueueChanges queueChanges;
    private final Clock clock;

    DuplicateLinks(ReactiveMongoTemplate mongo, QueueChanges queueChanges, Clock clock) {
        this.mongo = mongo;
        this.queueChanges = queueChanges;
        this.clock = clock;
    }

    /** A link as this service keeps it, whether or not the request is routed yet. */
    @Document(Link.COLLECTION)
    record Link(@Id String id, String parentRequestId, Instant linkedAt) {

        static final String COLLECTION = "duplicate_links";
    }

    void on(WorkEvents.RequestLinked linked, CloudEvent envelope) {
        Instant at = linked.linkedAt() != null ? linked.linkedAt() : envelope.time();
        // the first link of a request stands (request-service links a request once)
        mongo.upsert(Query.query(Criteria.where("_id").is(linked.requestId())),
                new Update().setOnInsert("parentRequestId", linked.parentRequestId()).setOnInsert("linkedAt", at),
                Link.class).block(STORE_TIMEOUT);
        applyRecorded(linked.requestId());
    }

    /** Closes the request's work item as a duplicate if a link to it is recorded; otherwise does nothing. */
    void applyRecorded(String requestId) {
        Link link = mongo.findById(requestId, Link.class).block(STORE_TIMEOUT);
        if (link == null) {
            return;
        }
        WorkItem closed = mongo.findAndModify(
                Query.query(Criteria.where("_id").is(requestId).and("duplicateOf").isNull()),
                new Update().set("status", WorkStatus.CLOSED).set("duplicateOf", link.parentRequestId())
                        .set("linkedAt", link.linkedAt())
                        .set("updatedAt", clock.instant().truncatedTo(ChronoUnit.MILLIS)),
                FindAndModifyOptions.options().returnNew(true), WorkItem.class).block(STORE_TIMEOUT);
        if (closed != null) {
            queueChanges.changed(List.of(closed.department())).block(STORE_TIMEOUT);
            log.info("{} linked as a duplicate of {}: out of its department's open work", requestId,
                    link.parentRequestId());
        }
    }
}
