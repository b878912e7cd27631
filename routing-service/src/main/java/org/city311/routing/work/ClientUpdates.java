package org.city311.routing.work;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.city311.contracts.EventContract;
import org.city311.platform.domain.DomainException;
import org.city311.platform.events.CloudEvent;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * What an Open311 client's {@code FIXED} or {@code CLOSED} means, read from request-service's topic
 * ({@value ClientUpdated#TYPE}). It depends on who sent it:
 * <ul>
 * <li>a trusted integration (a system the city itself runs) says the work is done: open work is resolved with
 * resolution code {@value #RESOLUTION_CODE}, the client's text as its note, {@code actedby} the client;</li>
 * <li>any other client is the customer saying it is fixed: a resolved request is closed, as a resident's confirmation
 * closes it; open work is flagged for the department ({@code customerReportsFixed} on its queue, an internal note on
 * the timeline) and keeps its status.</li>
 * </ul>
 * Any other status, or a request already closed (or resolved, for a trusted client), changes nothing here; the text is
 * on the timeline already. Each update acts once: its event id is kept on the work item in the same write, and a
 * redelivered one changes nothing, whatever happened to the request since.
 * <p>
 * An update about a request that has no work item here yet is refused: the binder retries it, then puts it in the
 * dead-letter topic. Both events of a request are on one partition in order, so that happens only when its
 * request-created did not route (it is in the dead-letter topic already, ahead of the update): replaying that topic
 * in order applies both, and no customer's word is dropped.
 */
@Component
class ClientUpdates {

    static final String RESOLUTION_CODE = "fixed";
    /** The statuses that say the work is done. */
    private static final Set<String> DONE = Set.of("FIXED", "CLOSED");
    /** A department's action racing with ours: decide again on what is stored then, this many times. */
    private static final int ATTEMPTS = 5;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(ClientUpdates.class);

    /** Read from request-service's topic: only what routing needs. */
    record ClientUpdated(String requestId, String client, Boolean trusted, String status, String description,
            Instant updatedAt) {

        static final String TYPE = EventContract.REQUEST_CLIENT_UPDATED;
    }

    private final DepartmentWork work;
    private final WorkStore store;
    private final ReactiveMongoTemplate mongo;

    ClientUpdates(DepartmentWork work, WorkStore store, ReactiveMongoTemplate mongo) {
        this.work = work;
        this.store = store;
        this.mongo = mongo;
    }

    void on(ClientUpdated update, CloudEvent envelope) {
        if (update.status() == null || !DONE.contains(update.status().toUpperCase(Locale.ROOT))) {
            return;
        }
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            WorkItem item = store.find(update.requestId()).block(TIMEOUT);
            if (item == null) {
                throw new IllegalStateException(update.requestId() + " has no work here yet (its request-created "
                        + "was not routed); client update " + envelope.id() + " waits for it");
            }
            if (item.appliedEvents() != null && item.appliedEvents().contains(envelope.id())) {
                log.debug("Client update {} on {} was applied already; redelivery ignored", envelope.id(), item.id());
                return;
            }
            try {
                // acted on as read here: no second read (the write is guarded on the version read)
                apply(update, item, new DepartmentWork.Cause(envelope.id(), "open311:" + update.client(), item),
                        envelope);
                return;
            }
            catch (DomainException conflict) {
                if (conflict.kind() != DomainException.Kind.CONFLICT) {
                    throw conflict;
                }
                // the request changed between our read and our write: read it again and decide again
                log.debug("Client update {} on {} raced with another change: {}", envelope.id(), item.id(),
                        conflict.detail());
            }
        }
        throw new IllegalStateException("client update " + envelope.id() + " on " + update.requestId()
                + " kept racing with other changes");
    }

    private void apply(ClientUpdated update, WorkItem item, DepartmentWork.Cause cause, CloudEvent envelope) {
        boolean trusted = Boolean.TRUE.equals(update.trusted());
        boolean open = WorkStatus.OPEN.contains(item.status());
        if (trusted && open) {
            block(work.resolve(item.id(), null, cause, RESOLUTION_CODE, update.description()));
            log.info("Resolved {} on the word of {}, a trusted integration", item.id(), update.client());
        }
        else if (!trusted && item.status() == WorkStatus.RESOLVED) {
            block(work.close(item.id(), null, cause, "The customer confirmed it is resolved (through "
                    + update.client() + ")"));
            log.info("Closed {}: the customer confirmed it is fixed through {}", item.id(), update.client());
        }
        else if (!trusted && open) {
            Instant at = update.updatedAt() != null ? update.updatedAt() : envelope.time();
            block(work.flagReportedFixed(item.id(), cause, new WorkItem.CustomerReport(update.client(), at),
                    "The customer reports it fixed (" + update.status().toUpperCase(Locale.ROOT) + " through "
                            + update.client() + "); check and resolve it, or tell them what remains."));
            log.info("Flagged {}: the customer reports it fixed through {}", item.id(), update.client());
        }
        else {
            // resolved or closed already (for a trusted client), closed (for any other): nothing to do. Remembered,
            // so that a redelivery after a reopen does not act on a word that was about an earlier state.
            mongo.updateFirst(Query.query(Criteria.where("_id").is(item.id())),
                    new Update().push("appliedEvents", envelope.id()), WorkItem.class).block(TIMEOUT);
            store.forget(item.id()); // a change without a new version: what this instance remembers is stale
            log.debug("Client update {} on {} ({}): nothing to do", envelope.id(), item.id(),
                    item.status().wireName());
        }
    }

    private static void block(Mono<WorkItem> action) {
        action.block(TIMEOUT);
    }
}
