package org.city311.routing.work;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteResult;
import org.bson.Document;
import reactor.core.publisher.Mono;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.ReactiveBulkOperations;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.convert.MongoConverter;
import org.springframework.data.mongodb.core.convert.UpdateMapper;
import org.springframework.data.mongodb.core.mapping.MongoPersistentEntity;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * The work items in the store. Reads by request id, of work only: two other kinds of document share the collection,
 * by ids that are no work's and without a {@code department}: a link that overtook its request
 * ({@link DuplicateLinks}) and a queue's change counter ({@link QueueChanges}).
 * <p>
 * Each write of a work item is one command: an ordered bulk write of {@value WorkItem#COLLECTION} whose first
 * statement is the item's own write and whose last ones raise its departments' {@link QueueChanges} counters, which
 * live in the same collection. The store has no multi-document transactions; the order (item first, counters after)
 * is what keeps a queue's {@code ETag} from ever hiding a change.
 */
@Component
class WorkStore {

    /** What routing a request did. */
    enum Routed {
        /** New work in the department's queue. */
        NEW,
        /** A link to it was waiting ({@link DuplicateLinks}): routed, and closed as a duplicate at once. */
        LINKED,
        /** It was routed before: a redelivery; nothing changed. */
        ALREADY
    }

    private final ReactiveMongoTemplate mongo;
    private final MongoConverter converter;
    private final UpdateMapper updateMapper;
    private final MongoPersistentEntity<?> entity;

    WorkStore(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
        this.converter = mongo.getConverter();
        this.updateMapper = new UpdateMapper(converter);
        this.entity = converter.getMappingContext().getRequiredPersistentEntity(WorkItem.class);
    }

    /** The request's work: empty if it has none (a link kept for its routing is none). One read by {@code _id}. */
    Mono<WorkItem> find(String requestId) {
        return mongo.findById(requestId, Document.class, WorkItem.COLLECTION)
                .filter(document -> document.get("department") != null)
                .map(document -> converter.read(WorkItem.class, document));
    }

    /**
     * Routes new work in one command: an upsert by the request id that either inserts the item or meets a link that
     * arrived before it (a document with that id and no {@code department}: see {@link DuplicateLinks}), which keeps
     * its {@code closed} status and {@code duplicateOf}; then the department's counter. A request routed before fails
     * the upsert on the unique {@code _id} (nothing written); its counter is raised on its own then, as before.
     */
    Mono<Routed> route(WorkItem item) {
        Document fields = new Document();
        converter.write(item, fields);
        fields.remove("_id");
        Object status = fields.remove("status");
        Update update = new Update();
        fields.forEach(update::set);
        update.setOnInsert("status", status);
        Query notRoutedYet = Query.query(Criteria.where("_id").is(item.id()).and("department").exists(false));
        ReactiveBulkOperations bulk = mongo.bulkOps(BulkOperations.BulkMode.ORDERED, WorkItem.class)
                .upsert(notRoutedYet, update);
        return QueueChanges.raise(bulk, List.of(item.department())).execute()
                .map(result -> result.getUpserts().stream().anyMatch(upsert -> upsert.getIndex() == 0) ? Routed.NEW
                        : Routed.LINKED)
                .onErrorResume(DuplicateKeyException.class, routedBefore -> failedAt(routedBefore) == 0
                        ? Mono.just(Routed.ALREADY) : Mono.error(routedBefore));
    }

    /**
     * The guarded update of an item and the raise of the departments' counters, in one command: true if the guard
     * matched (the update was made), false if not (the item changed since it was read; nothing written but the
     * counters, which then count a change that did not happen: harmless).
     */
    Mono<Boolean> update(Query guard, Update update, Collection<String> departments) {
        ReactiveBulkOperations bulk = mongo.bulkOps(BulkOperations.BulkMode.ORDERED, WorkItem.class)
                .updateOne(guard, update);
        int counters = QueueChanges.departments(departments).size();
        return QueueChanges.raise(bulk, departments).execute().map(result -> matchedFirst(result, counters));
    }

    /**
     * The item as {@code update} leaves it, worked out here instead of read back: what the store does with
     * {@code $set}, {@code $unset}, {@code $inc} and {@code $push} of top-level fields, the only operators the
     * actions use, on the item as it was read (the update is guarded on its version, so the store applied it to that
     * very state; only the outbox, which the relay empties meanwhile, may differ).
     */
    WorkItem applied(WorkItem item, Update update) {
        Document document = new Document();
        converter.write(item, document);
        Document mapped = updateMapper.getMappedObject(update.getUpdateObject(), entity);
        for (Map.Entry<String, Object> operation : mapped.entrySet()) {
            Document fields = (Document) operation.getValue();
            for (Map.Entry<String, Object> field : fields.entrySet()) {
                String key = field.getKey();
                if (key.contains(".")) {
                    throw new IllegalArgumentException("not a top-level field: " + key);
                }
                switch (operation.getKey()) {
                    case "$set" -> document.put(key, field.getValue());
                    case "$unset" -> document.remove(key);
                    case "$inc" -> document.put(key, plus((Number) document.get(key), (Number) field.getValue()));
                    case "$push" -> {
                        List<Object> values = new ArrayList<>(document.getList(key, Object.class, List.of()));
                        values.add(field.getValue());
                        document.put(key, values);
                    }
                    default -> throw new IllegalArgumentException("operator not worked out here: "
                            + operation.getKey());
                }
            }
        }
        return converter.read(WorkItem.class, document);
    }

    /** Whether the first statement matched: the counters' upserts that found their document count as matches too. */
    private static boolean matchedFirst(BulkWriteResult result, int counters) {
        int countersMatched = counters - result.getUpserts().size();
        return result.getMatchedCount() - countersMatched > 0;
    }

    private static Number plus(Number current, Number increment) {
        if (current == null) {
            return increment;
        }
        if (current instanceof Integer && increment instanceof Integer) {
            return current.intValue() + increment.intValue();
        }
        return current.longValue() + increment.longValue();
    }

    /** Which statement of a bulk write failed on a duplicate key; -1 if that is unknown. */
    private static int failedAt(DuplicateKeyException duplicate) {
        for (Throwable cause = duplicate; cause != null; cause = cause.getCause()) {
            if (cause instanceof MongoBulkWriteException bulk && !bulk.getWriteErrors().isEmpty()) {
                return bulk.getWriteErrors().get(0).getIndex();
            }
        }
        return -1;
    }
}
