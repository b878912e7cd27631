package org.city311.routing.work;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

import org.bson.Document;
import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.ReactiveBulkOperations;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * How many times each department's work has changed: one counter document per department ({@code _id}
 * {@code queue:<department>}, {@code changes}), raised after every write of a work item of that department (both
 * departments of a transfer), by every instance alike. The same document keeps its agents' loads ({@code load},
 * see {@link AgentLoads}), moved by the same statement as the raise. A queue's {@code ETag} is built on it, so that a client that
 * asks again learns "unchanged" from one read by {@code _id}, without reading any work.
 * <p>
 * The counters live in {@value #COLLECTION} beside the work, so that raising one costs no round trip of its own: it
 * is the last statement of the same ordered bulk write (one command) as the item's own write ({@link #raise}). They
 * have no {@code department}, {@code status} or {@code outbox}: no queue, count or relay poll ever reads them as work.
 * <p>
 * The counter is raised <em>after</em> the item's write and read <em>before</em> the items: an answer can only be
 * older than its counter says, never newer, so a change is never hidden behind an unchanged {@code ETag}. A raise
 * that counts no change (an action refused as stale still raises it) only costs a client one full read. What is
 * left: a store failing between the two statements, which {@link DepartmentQueue}'s bound on an {@code ETag}'s life
 * covers.
 */
@Component
class QueueChanges {

    static final String COLLECTION = WorkItem.COLLECTION;
    private static final String PREFIX = "queue:";

    private final ReactiveMongoTemplate mongo;

    QueueChanges(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** The counter document's {@code _id}: never a request id. */
    static String id(String department) {
        return PREFIX + department;
    }

    /** The departments named, once each, nulls left out: the counters a write raises. */
    static List<String> departments(Collection<String> departments) {
        return List.copyOf(new LinkedHashSet<>(departments.stream().filter(Objects::nonNull).toList()));
    }

    /** Adds the raise of each department's counter to a bulk write of {@value #COLLECTION}, after what it holds. */
    static ReactiveBulkOperations raise(ReactiveBulkOperations bulk, Collection<String> departments) {
        return raise(bulk, departments, new AgentLoads.Moves());
    }

    /**
     * Adds the raise of each department's counter to a bulk write, with the moves of its agents' loads in the same
     * statement ({@link AgentLoads}): a count of the loads sees them change together with {@code changes}.
     */
    static ReactiveBulkOperations raise(ReactiveBulkOperations bulk, Collection<String> departments,
            AgentLoads.Moves loads) {
        for (String department : departments(departments)) {
            bulk.upsert(Query.query(Criteria.where("_id").is(id(department))),
                    loads.into(new Update().inc("changes", 1), department));
        }
        return bulk;
    }

    /** The department's counter: 0 if its work never changed since counting began. One read by {@code _id}. */
    Mono<Long> of(String department) {
        return mongo.findById(id(department), Document.class, COLLECTION)
                .map(counter -> counter.get("changes", Number.class).longValue())
                .defaultIfEmpty(0L);
    }
}
