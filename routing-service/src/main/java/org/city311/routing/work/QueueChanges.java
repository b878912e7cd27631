package org.city311.routing.work;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;

import org.bson.Document;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * How many times each department's work has changed: one document per department in {@value #COLLECTION}
 * ({@code _id} the department, {@code changes} a counter), raised after every write of a work item of that department
 * (both departments of a transfer), by every instance alike. A queue's {@code ETag} is built on it, so that a client
 * that asks again learns "unchanged" from one read by {@code _id}, without reading any work.
 * <p>
 * The counter is raised <em>after</em> the item's write and read <em>before</em> the items: an answer can only be
 * older than its counter says, never newer, so a change is never hidden behind an unchanged {@code ETag}. What is left:
 * a crash between an item's write and its raise, which {@link DepartmentQueue}'s bound on an {@code ETag}'s life
 * covers.
 */
@Component
class QueueChanges {

    static final String COLLECTION = "queue_changes";

    private final ReactiveMongoTemplate mongo;

    QueueChanges(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** Raises the counter of each department named (nulls and repeats ignored): one upsert each. */
    Mono<Void> changed(Collection<String> departments) {
        return Flux.fromIterable(new LinkedHashSet<>(departments.stream().filter(Objects::nonNull).toList()))
                .concatMap(department -> mongo.upsert(Query.query(Criteria.where("_id").is(department)),
                        new Update().inc("changes", 1), COLLECTION))
                .then();
    }

    /** The department's counter: 0 if its work never changed since counting began. One read by {@code _id}. */
    Mono<Long> of(String department) {
        return mongo.findById(department, Document.class, COLLECTION)
                .map(counter -> counter.get("changes", Number.class).longValue())
                .defaultIfEmpty(0L);
    }
}
