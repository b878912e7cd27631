package org.city311.routing.work;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.city311.platform.events.CloudEvent;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
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
 * A link that overtakes the request's routing is kept where the work item will be: a document of
 * {@value WorkItem#COLLECTION} with the request's id, {@code closed}, {@code duplicateOf} and {@code linkedAt}, and no
 * {@code department} (so no queue, count or action sees it as work). Routing meets it by that id in the write that
 * routes the request ({@link WorkStore#route}), which keeps it closed: no read per request to look for links, which
 * are rare. Every step is guarded, so a redelivered link changes nothing.
 */
@Component
class DuplicateLinks {

    /** Where links were kept before they were kept with the work: taken over at start, then dropped. */
    static final String OLD_COLLECTION = "duplicate_links";
    private static final Logger log = LoggerFactory.getLogger(DuplicateLinks.class);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);

    /** An action racing with the link: read the item again and close it then, this many times. */
    private static final int ATTEMPTS = 5;

    private final ReactiveMongoTemplate mongo;
    private final WorkStore store;
    private final Clock clock;

    DuplicateLinks(ReactiveMongoTemplate mongo, WorkStore store, Clock clock) {
        this.mongo = mongo;
        this.store = store;
        this.clock = clock;
        takeOverOlderLinks();
    }

    void on(WorkEvents.RequestLinked linked, CloudEvent envelope) {
        Instant at = linked.linkedAt() != null ? linked.linkedAt() : envelope.time();
        link(linked.requestId(), linked.parentRequestId(), at);
    }

    /**
     * Closes the request's work as a duplicate of {@code parent}, or keeps the link for its routing to come. The
     * first link of a request stands (request-service links a request once).
     */
    private void link(String requestId, String parent, Instant at) {
        if (closeRouted(requestId, parent, at)) {
            return;
        }
        // not routed yet (or linked already): kept by the request's id, unless a document has that id by now
        boolean kept = mongo.upsert(Query.query(Criteria.where("_id").is(requestId)),
                        new Update().setOnInsert("status", WorkStatus.CLOSED).setOnInsert("duplicateOf", parent)
                                .setOnInsert("linkedAt", at), WorkItem.class)
                .map(result -> result.getUpsertedId() != null).block(STORE_TIMEOUT);
        if (kept) {
            log.info("{} linked as a duplicate of {} before it was routed: kept for its routing", requestId, parent);
        }
        else {
            // routed between the two writes, or linked already (then this finds nothing to close)
            closeRouted(requestId, parent, at);
        }
    }

    /**
     * Closes routed work: the read of the item by id, then one bulk write of the update guarded on the version
     * read, its department's counter and its agent's load ({@link WorkStore#update}); read again if an action
     * changed it meanwhile. True if it is closed as a duplicate now or was before; false if it is not routed.
     */
    private boolean closeRouted(String requestId, String parent, Instant at) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            WorkItem item = store.find(requestId).block(STORE_TIMEOUT);
            if (item == null) {
                return false;
            }
            if (item.duplicateOf() != null) {
                log.debug("{} was linked as a duplicate of {} already; redelivery ignored", requestId,
                        item.duplicateOf());
                return true;
            }
            Update update = new Update().set("status", WorkStatus.CLOSED).set("duplicateOf", parent)
                    .set("linkedAt", at).set("updatedAt", clock.instant().truncatedTo(ChronoUnit.MILLIS));
            WorkItem closed = store.applied(item, update);
            boolean made = store.update(closed, Query.query(Criteria.where("_id").is(requestId).and("sequence")
                                    .is(item.sequence()).and("duplicateOf").isNull()), update,
                            List.of(item.department()), AgentLoads.Moves.between(item, closed))
                    .block(STORE_TIMEOUT);
            if (made) {
                log.info("{} linked as a duplicate of {}: out of its department's open work", requestId, parent);
                return true;
            }
        }
        throw new IllegalStateException("link of " + requestId + " to " + parent + " kept racing with other changes");
    }

    /**
     * Links kept by an older version in {@value #OLD_COLLECTION}: each is applied as if it arrived now (a link of
     * routed work was applied then, and finds nothing to change), then the collection is dropped. Nothing to do once
     * done: one look at the collection names.
     */
    void takeOverOlderLinks() {
        boolean older = mongo.collectionExists(OLD_COLLECTION).block(STORE_TIMEOUT);
        if (!older) {
            return;
        }
        List<Document> links = mongo.findAll(Document.class, OLD_COLLECTION).collectList().block(STORE_TIMEOUT);
        for (Document link : links) {
            java.util.Date linkedAt = link.getDate("linkedAt");
            link(link.getString("_id"), link.getString("parentRequestId"),
                    linkedAt == null ? clock.instant() : linkedAt.toInstant());
        }
        mongo.dropCollection(OLD_COLLECTION).block(STORE_TIMEOUT);
        log.info("Took over {} duplicate link(s) from {}", links.size(), OLD_COLLECTION);
    }
}
