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
 * is what keeps a queue's {@code ETag} from ever hiding a change. The same bulk write moves the agents' loads
 * ({@link AgentLoads}) where the item's department, agent or openness changes; when its item statement turns out to
 * have changed nothing, a second one takes them back.
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
    private final AgentLoads loads;
    private final RecentWork recent;
    private final MongoConverter converter;
    private final UpdateMapper updateMapper;
    private final MongoPersistentEntity<?> entity;

    WorkStore(ReactiveMongoTemplate mongo, AgentLoads loads, RecentWork recent) {
        this.mongo = mongo;
        this.loads = loads;
        this.recent = recent;
        this.converter = mongo.getConverter();
        this.updateMapper = new UpdateMapper(converter);
        this.entity = converter.getMappingContext().getRequiredPersistentEntity(WorkItem.class);
    }

    /**
     * The work item as this instance last wrote it, or null: possibly stale, so only to start a write guarded on its
     * version from ({@link RecentWork}).
     */
    WorkItem recent(String requestId) {
        return recent.get(requestId);
    }

    /** An item that was changed without raising its version: what this instance remembers of it is stale. */
    void forget(String requestId) {
        recent.forget(requestId);
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
     * <p>
     * The loads of the agents the items are assigned to are raised by the first statements of the same bulk write,
     * <em>before</em> the items: a failure on an item's id stops MongoDB's ordered bulk write there and not the
     * embedded store's, and only statements before the items ran on both. Each item that turns out not to be new
     * work (routed before, or met a link: closed) has its agent's load taken back: by the statements that send the
     * rest again, or by one more bulk write when nothing is sent again (a link that overtook its request).
     *
     * @return how each item was routed, by request id
     */
    Mono<Map<String, Routed>> route(List<WorkItem> items) {
        Map<String, Routed> routed = new LinkedHashMap<>();
        List<String> departments = QueueChanges.departments(items.stream().map(WorkItem::department).toList());
        return routeAll(items, departments, AgentLoads.Moves.taking(items), routed).thenReturn(routed);
    }

    /** @param moves the loads to move first: the new items' agents', or those taken back for items that were not new */
    private Mono<Void> routeAll(List<WorkItem> items, List<String> departments, AgentLoads.Moves moves,
            Map<String, Routed> routed) {
        ReactiveBulkOperations bulk = AgentLoads.move(mongo.bulkOps(BulkOperations.BulkMode.ORDERED, WorkItem.class),
                moves);
        int first = moves.departments().size();
        if (items.isEmpty()) {
            return QueueChanges.raise(bulk, departments).execute().then()
                    .doOnError(failed -> doubt(moves, failed));
        }
        items.forEach(item -> bulk.upsert(
                Query.query(Criteria.where("_id").is(item.id()).and("department").exists(false)),
                routingUpdate(item)));
        return QueueChanges.raise(bulk, departments).execute()
                .flatMap(result -> {
                    Set<Integer> inserted = new HashSet<>();
                    result.getUpserts().forEach(upsert -> inserted.add(upsert.getIndex()));
                    AgentLoads.Moves linked = new AgentLoads.Moves();
                    for (int index = 0; index < items.size(); index++) {
                        WorkItem item = items.get(index);
                        boolean isNew = inserted.contains(first + index);
                        routed.put(item.id(), isNew ? Routed.NEW : Routed.LINKED);
                        if (isNew) {
                            recent.remember(asStored(item)); // what the department will act on next
                        }
                        if (!isNew && AgentLoads.Moves.holds(item)) {
                            // met a link: closed at once, held by no one; its load was raised for nothing
                            linked.add(item.department(), item.agent(), 1);
                        }
                    }
                    return loads.undo(linked);
                })
                .onErrorResume(DuplicateKeyException.class, routedBefore -> {
                    if (!failedOnAnItem(routedBefore, first, items.size())) {
                        return Mono.error(routedBefore);
                    }
                    return whereRouted(items, routed).flatMap(rest -> {
                        AgentLoads.Moves notNew = new AgentLoads.Moves();
                        items.stream().filter(item -> !rest.contains(item) && routed.get(item.id()) != Routed.NEW
                                        && AgentLoads.Moves.holds(item))
                                .forEach(item -> notNew.add(item.department(), item.agent(), -1));
                        return routeAll(rest, departments, notNew, routed);
                    });
                })
                .doOnError(failed -> doubt(moves, failed));
    }

    /** A write that moved loads failed: which of its statements ran is not known. */
    private void doubt(AgentLoads.Moves moves, Throwable failed) {
        if (!moves.isEmpty()) {
            loads.doubt("a write moving " + moves + " failed: " + failed);
        }
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
     * The guarded update of an item and the raise of the departments' counters with the moves of their agents'
     * loads, in one command: true if the guard matched (the update was made), false if not (the item changed since
     * it was read; nothing written but the counters, which then count a change that did not happen: harmless, and
     * the loads' moves, which a second command takes back at once: {@link AgentLoads#undo}).
     *
     * The item as updated is remembered ({@link RecentWork}) when the guard matched, forgotten when it did not.
     *
     * @param changed the item as the update leaves it ({@link #applied})
     * @param moves what the update moves ({@link AgentLoads.Moves#between} the item as read and as updated)
     */
    Mono<Boolean> update(WorkItem changed, Query guard, Update update, Collection<String> departments,
            AgentLoads.Moves moves) {
        ReactiveBulkOperations bulk = mongo.bulkOps(BulkOperations.BulkMode.ORDERED, WorkItem.class)
                .updateOne(guard, update);
        List<String> raised = new ArrayList<>(departments);
        raised.addAll(moves.departments());
        int counters = QueueChanges.departments(raised).size();
        return QueueChanges.raise(bulk, raised, moves).execute()
                .map(result -> matchedFirst(result, counters))
                .doOnNext(made -> {
                    if (made) {
                        recent.remember(changed);
                    }
                    else {
                        recent.forget(changed.id());
                    }
                })
                .doOnError(failed -> {
                    recent.forget(changed.id());
                    doubt(moves, failed);
                })
                .flatMap(made -> made ? Mono.just(true) : loads.undo(moves).thenReturn(false));
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

    /**
     * The update that turns the stored {@code before} into {@code after}: every top-level field whose stored form
     * differs is set, every one {@code after} lacks is unset. The outbox and the applied events are left out: the
     * caller pushes onto them, and the relay pulls from the outbox outside the version guard, so they are never
     * overwritten. (Any other field written outside the guard must be left out here too.)
     */
    Update changes(WorkItem before, WorkItem after) {
        return changes(converter, before, after);
    }

    static Update changes(MongoConverter converter, WorkItem before, WorkItem after) {
        Document was = new Document();
        converter.write(before, was);
        Document now = new Document();
        converter.write(after, now);
        Update update = new Update();
        Set<String> appendedOnly = Set.of("_id", "_class", "outbox", "appliedEvents");
        now.forEach((field, value) -> {
            if (!appendedOnly.contains(field) && !java.util.Objects.equals(value, was.get(field))) {
                update.set(field, value);
            }
        });
        was.keySet().stream().filter(field -> !appendedOnly.contains(field) && !now.containsKey(field))
                .forEach(update::unset);
        return update;
    }

    /** The item as it reads back from the store (instants to the millisecond, as the store keeps them). */
    private WorkItem asStored(WorkItem item) {
        Document document = new Document();
        converter.write(item, document);
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

    /** Whether a bulk write failed on a duplicate key of its {@code items} statements from {@code first} (items'). */
    private static boolean failedOnAnItem(DuplicateKeyException duplicate, int first, int items) {
        for (Throwable cause = duplicate; cause != null; cause = cause.getCause()) {
            if (cause instanceof MongoBulkWriteException bulk && !bulk.getWriteErrors().isEmpty()) {
                return bulk.getWriteErrors().stream()
                        .allMatch(error -> error.getIndex() >= first && error.getIndex() < first + items);
            }
        }
        return false;
    }
}
