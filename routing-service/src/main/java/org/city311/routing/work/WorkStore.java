package org.city311.routing.work;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
     * Routes new work, a batch of it in one command: an ordered bulk write of an upsert per item by its request id,
     * which either inserts the item or meets a link that arrived before it (a document with that id and no
     * {@code department}: see {@link DuplicateLinks}), which keeps its {@code closed} status and {@code duplicateOf};
     * then the counters of the batch's departments.
     * <p>
     * A request routed before (a redelivery) fails its upsert on the unique {@code _id}, changing nothing. MongoDB
     * stops an ordered bulk write there, the embedded store goes on; either way the batch's items are then read back
     * by id (one command) to learn which are routed, by this batch (their {@code routedAt} is its own) or before, and
     * the rest is sent again with the counters. Redeliveries are rare (a crash, a rebalance): the usual batch costs
     * its one command. The items must have distinct ids and this batch's {@code routedAt}.
     *
     * @return how each item was routed, by request id
     */
    Mono<Map<String, Routed>> route(List<WorkItem> items) {
        Map<String, Routed> routed = new LinkedHashMap<>();
        List<String> departments = QueueChanges.departments(items.stream().map(WorkItem::department).toList());
        return routeAll(items, departments, routed).thenReturn(routed);
    }

    private Mono<Void> routeAll(List<WorkItem> items, List<String> departments, Map<String, Routed> routed) {
        if (items.isEmpty()) {
            return QueueChanges.raise(mongo.bulkOps(BulkOperations.BulkMode.ORDERED, WorkItem.class), departments)
                    .execute().then();
        }
        ReactiveBulkOperations bulk = mongo.bulkOps(BulkOperations.BulkMode.ORDERED, WorkItem.class);
        items.forEach(item -> bulk.upsert(
                Query.query(Criteria.where("_id").is(item.id()).and("department").exists(false)),
                routingUpdate(item)));
        return QueueChanges.raise(bulk, departments).execute()
                .doOnNext(result -> {
                    Set<Integer> inserted = new HashSet<>();
                    result.getUpserts().forEach(upsert -> inserted.add(upsert.getIndex()));
                    for (int index = 0; index < items.size(); index++) {
                        routed.put(items.get(index).id(), inserted.contains(index) ? Routed.NEW : Routed.LINKED);
                    }
                })
                .then()
                .onErrorResume(DuplicateKeyException.class, routedBefore -> {
                    if (!failedOnAnItem(routedBefore, items.size())) {
                        return Mono.error(routedBefore);
                    }
                    return whereRouted(items, routed).flatMap(rest -> routeAll(rest, departments, routed));
                });
    }

    /** Reads the items back by id: notes those routed (by this batch or before), and answers the rest. */
    private Mono<List<WorkItem>> whereRouted(List<WorkItem> items, Map<String, Routed> routed) {
        Query byIds = Query.query(Criteria.where("_id").in(items.stream().map(WorkItem::id).toList()));
        byIds.fields().include("department", "routedAt", "duplicateOf");
        return mongo.find(byIds, Document.class, WorkItem.COLLECTION)
                .collectMap(stored -> stored.getString("_id"))
                .map(stored -> {
                    List<WorkItem> rest = new ArrayList<>();
                    for (WorkItem item : items) {
                        Document now = stored.get(item.id());
                        if (now == null || now.get("department") == null) {
                            rest.add(item);
                        }
                        else if (!Date.from(item.routedAt()).equals(now.getDate("routedAt"))) {
                            routed.put(item.id(), Routed.ALREADY);
                        }
                        else {
                            routed.put(item.id(), now.get("duplicateOf") != null ? Routed.LINKED : Routed.NEW);
                        }
                    }
                    return rest;
                });
    }

    /** The update that routes an item: all its fields, and its status only if no link set one first. */
    private Update routingUpdate(WorkItem item) {
        Document fields = new Document();
        converter.write(item, fields);
        fields.remove("_id");
        Object status = fields.remove("status");
        Update update = new Update();
        fields.forEach(update::set);
        update.setOnInsert("status", status);
        return update;
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

    /** Whether a bulk write failed on a duplicate key of one of its first {@code items} statements (an item's). */
    private static boolean failedOnAnItem(DuplicateKeyException duplicate, int items) {
        for (Throwable cause = duplicate; cause != null; cause = cause.getCause()) {
            if (cause instanceof MongoBulkWriteException bulk && !bulk.getWriteErrors().isEmpty()) {
                return bulk.getWriteErrors().stream().allMatch(error -> error.getIndex() < items);
            }
        }
        return false;
    }
}
