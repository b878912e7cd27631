package org.city311.deploy.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import org.h2.mvstore.MVMap;

/**
 * A collection of the H2 backend that reads by {@code _id} whenever a query pins it, as MongoDB's planner does.
 * <p>
 * mongo-java-server uses an index only for a query whose fields are exactly the index's: {@code {_id: x}} is read by
 * its id, but {@code {_id: x, sequence: 4}} (a guarded update), {@code {_id: x, department: {$exists: false}}} (an
 * upsert that must not overwrite) or {@code {_id: {$in: [...]}, outbox.0: {$exists: true}}} walk every document of
 * the collection, under the collection's lock. Every service guards its writes that way, so on the local store each
 * guarded write cost a scan that grew with history. Here such a query reads the pinned documents by id (the H2 map
 * is keyed by {@code _id}) and matches the rest of the query on them; what it answers is unchanged.
 * <p>
 * Only ids that are strings or ObjectIds are read this way (the services' ids are): a number's type would have to
 * match the stored key's, which MongoDB does not ask of a query.
 */
final class IdPinnedCollection extends H2Collection {

    private static final String ID = "_id";

    private final Consumer<String> scanned;

    /**
     * {@code scanned} is told of every query that walks the whole collection (no index or pinned id serves it), by
     * the fields the query names ({@link #fields}).
     */
    IdPinnedCollection(MongoDatabase database, String collectionName, CollectionOptions options,
            MVMap<Object, Document> dataMap, MVMap<String, Object> metaMap, CursorRegistry cursorRegistry,
            Consumer<String> scanned) {
        super(database, collectionName, options, dataMap, metaMap, cursorRegistry);
        this.scanned = scanned;
    }

    /** The whole collection walked: the way of a query no index serves. */
    @Override
    protected QueryResult matchDocuments(Document query, Document orderBy, int numberToSkip, int limit,
            int batchSize, Document fieldSelector) {
        scanned.accept(fields(query));
        return super.matchDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
    }

    @Override
    protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit,
            int batchSize, Document fieldSelector) {
        List<Object> pinned = pinnedIds(query);
        if (pinned == null) {
            return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
        }
        // each pinned document read once (an id with no document reads null), then matched like any other
        Stream<Document> documents = pinned.stream().map(this::getDocument).filter(Objects::nonNull);
        return matchDocumentsFromStream(documents, query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
    }

    /**
     * The ids a query pins ({@code _id} equal to a string or ObjectId, or {@code $in} a list of them, beside other
     * conditions, at the top or in a top-level {@code $and}), distinct, in order; null when it pins none that way
     * (the query is then answered as before).
     */
    static List<Object> pinnedIds(Document query) {
        if (query == null || !query.containsKey(ID) && !(query.get("$and") instanceof Collection<?>)) {
            return null;
        }
        if (query.containsKey(ID)) {
            // {_id: x} alone is served by the unique index already
            return query.size() < 2 ? null : pinned(query.get(ID));
        }
        for (Object clause : (Collection<?>) query.get("$and")) {
            if (clause instanceof Document condition && condition.containsKey(ID)) {
                List<Object> ids = pinned(condition.get(ID));
                if (ids != null) {
                    return ids;
                }
            }
        }
        return null;
    }

    private static List<Object> pinned(Object id) {
        if (keyable(id)) {
            return List.of(id);
        }
        if (id instanceof Document condition && condition.size() == 1
                && condition.get("$in") instanceof Collection<?> values) {
            Set<Object> ids = new LinkedHashSet<>();
            for (Object value : values) {
                if (!keyable(value)) {
                    return null;
                }
                ids.add(value);
            }
            return new ArrayList<>(ids);
        }
        return null;
    }

    /**
     * The fields a query names, sorted, comma-separated ({@code $and}, {@code $or} and {@code $nor} looked into, one
     * level): which query it was, without its values, for the store's count of scans.
     */
    static String fields(Document query) {
        Set<String> names = new TreeSet<>();
        if (query != null) {
            query.forEach((key, value) -> {
                if (key.startsWith("$") && value instanceof Collection<?> clauses) {
                    clauses.forEach(clause -> {
                        if (clause instanceof Document condition) {
                            names.addAll(condition.keySet());
                        }
                    });
                }
                else {
                    names.add(key);
                }
            });
        }
        return String.join(",", names);
    }

    private static boolean keyable(Object id) {
        return id instanceof String || id instanceof ObjectId;
    }
}
