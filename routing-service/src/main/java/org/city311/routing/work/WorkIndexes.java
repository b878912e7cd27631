package org.city311.routing.work;

import java.time.Duration;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.stereotype.Component;

/**
 * The indexes behind the reads of {@code work} that are not by request id ({@code _id}), created at start (an
 * existing one is left as it is). Every action, routing (which meets a link that overtook the request by its id),
 * the queues' change counters (with the agents' loads, which the least-loaded assignment reads) and the round-robin
 * counters ({@code assignment_counters}) read by {@code _id} only and need none. The local Mongo-wire store keeps
 * these too and reads through them as MongoDB does.
 */
@Component
class WorkIndexes {

    /**
     * {@code department}, {@code status}, {@code agent}, {@code resolutionDueAt}: the queue counts read the open
     * work's status, agent and due time from this index alone (a covered query: no document read).
     */
    static final Index QUEUE = new Index().on("department", Sort.Direction.ASC).on("status", Sort.Direction.ASC)
            .on("agent", Sort.Direction.ASC).on("resolutionDueAt", Sort.Direction.ASC);
    /** The same without the due time, which the counts then read from every open document. Dropped at start. */
    static final String OLD_QUEUE = "department_1_status_1_agent_1";
    /**
     * {@code department}, {@code status}, {@code resolutionDueAt}, {@code routedAt}, {@code _id}: a queue page in its
     * order, read from where the cursor left off and stopped after a page ({@link DepartmentQueue}); the statuses
     * asked for (the open ones) are merged in that order, so closed history is never walked.
     */
    static final Index QUEUE_ORDER = new Index().on("department", Sort.Direction.ASC).on("status", Sort.Direction.ASC)
            .on("resolutionDueAt", Sort.Direction.ASC).on("routedAt", Sort.Direction.ASC).on("_id", Sort.Direction.ASC);
    /**
     * The queue order before status was in it: a page walked the department's closed history whenever it was due
     * before its open work. Dropped where a store still has it.
     */
    static final String OLD_QUEUE_ORDER = "department_1_resolutionDueAt_1_routedAt_1__id_1";
    /** The outbox relay's poll, twice a second and at every write: documents with {@code outbox.0}. */
    static final Index OUTBOX = new Index().on("outbox.0", Sort.Direction.ASC);

    WorkIndexes(ReactiveMongoTemplate mongo) {
        var work = mongo.indexOps(WorkItem.class);
        Flux.concat(
                // DepartmentQueue.counts: department = ? and status in (open);
                // (covered: status, agent and due time read from the index);
                // LoadRecount (at start, every 10 minutes): department in (the catalog's), status in (open), agent
                // not null, counted by department and agent
                work.dropIndex(OLD_QUEUE).onErrorResume(notThere -> Mono.empty()),
                work.createIndex(QUEUE),
                // DepartmentQueue.page: department = ?, status in (those asked for), sorted by due time, routing
                // time and id, after a cursor, limited to a page (the agent is checked on the documents the walk
                // reaches)
                work.dropIndex(OLD_QUEUE_ORDER).onErrorResume(notThere -> Mono.empty()),
                work.createIndex(QUEUE_ORDER),
                // OutboxRelay: find and count where outbox.0 exists
                work.createIndex(OUTBOX))
                .then()
                .block(Duration.ofMinutes(1));
    }
}
