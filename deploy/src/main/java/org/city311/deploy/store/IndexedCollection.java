package org.city311.deploy.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.AbstractCursor;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.DocumentWithPosition;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import org.h2.mvstore.MVMap;

/**
 * A collection of the H2 backend that reads through an index wherever MongoDB's planner would, so that a query's cost
 * follows what it asks for, not the collection's history.
 * <p>
 * mongo-java-server uses an index only for a query whose fields are exactly a unique index's, and keeps nothing for
 * the other indexes the services declare: every other query walked every document of the collection, under the
 * collection's lock. Here, in this order:
 * <ol>
 * <li>a query that pins {@code _id} beside other conditions ({@code {_id: x, sequence: 4}}, a guarded update;
 * {@code {_id: {$in: [...]}, outbox.0: {$exists: true}}}) reads the pinned documents by id (the H2 map is keyed by
 * {@code _id});</li>
 * <li>a query a unique index serves is left to the backend;</li>
 * <li>a query naming values of a declared index's leading keys (equal, {@code $eq} or {@code $in}, at the top or in
 * {@code $and}; or an {@code $or} each of whose branches does) reads the documents that index lists for them
 * ({@link SecondaryIndex});</li>
 * <li>a query with a limit, sorted as a declared index is ordered after the keys the query names values for (or from
 * its first key), walks that index in order, the ranges of several values merged, and stops once the page is full
 * (chosen over the previous way unless that reads fewer documents, or few);</li>
 * <li>a query for the documents that have a field, {@code {field: {$ne: null}}} alone (the outbox relay's sweep for
 * pending events, {@code outbox.0}), reads those a declared index leading with that field lists under a value
 * other than null, where no document holds an array under its keys ({@link SecondaryIndex#positionsPresent});</li>
 * <li>anything else walks the collection, as before, and is counted ({@code scanned}).</li>
 * </ol>
 * A query read through one index whose keys hold every field it names, and whose projection asks only for keys of
 * it without {@code _id}, is answered from the index's keys without reading a document (MongoDB's covered query).
 * <p>
 * Whichever way, the whole query is matched on every document read: an index narrows what is read, never what is
 * answered. Only ids, keys and values that are strings, numbers, booleans, ObjectIds, dates (or null, for keys)
 * are looked up this way.
 */
final class IndexedCollection extends H2Collection {

    private static final String ID = "_id";
    /** Above this many documents to read by an index's keys, a sorted page is read by walking a sort index instead. */
    private static final int SORT_WALK_ABOVE = 1_000;
    /** At most this many combinations of {@code $in} values looked up in one index. */
    private static final int MAX_LOOKUPS = 256;

    /** Documents a batch of a lazy answer holds when a client's {@code getMore} names no size. */
    private static final int DEFAULT_BATCH = 1_000;

    private final MVMap<Object, Document> dataMap;
    private final Consumer<String> scanned;
    private final Consumer<String> indexRead;
    private final LongConsumer documentsRead;

    /**
     * {@code scanned} is told of every query that walks the whole collection (no index or pinned id serves it), by
     * the fields the query names ({@link #fields}); {@code indexRead} of every query read through a declared index,
     * by the index's name; {@code documentsRead} of how many documents each query read (a walk of the collection
     * reads them all).
     */
    IndexedCollection(MongoDatabase database, String collectionName, CollectionOptions options,
            MVMap<Object, Document> dataMap, MVMap<String, Object> metaMap, CursorRegistry cursorRegistry,
            Consumer<String> scanned, Consumer<String> indexRead, LongConsumer documentsRead) {
        super(database, collectionName, options, dataMap, metaMap, cursorRegistry);
        this.dataMap = dataMap;
        this.scanned = scanned;
        this.indexRead = indexRead;
        this.documentsRead = documentsRead;
    }

    /**
     * No running total of the documents' BSON size ({@code collStats}' {@code size}, which no service reads): the
     * backend keeps it by encoding each document written, and the old one of each update, once more for its size
     * alone, and writes the total to the collection's meta map at every write (8 % of the store's CPU in a rebuild).
     */
    @Override
    protected boolean tracksDataSize() {
        return false;
    }

    /**
     * The whole collection walked: the way of a query no index serves. Asked in no order and in batches (as the
     * drivers ask), its answer is read as the client takes it, a batch at a time ({@link LazyCursor}), not listed
     * whole first as the backend does: the store's memory then does not grow with the largest answer (a scorecard
     * reads every ledger), and a client that stops early stops the walk. The walk reads one version of the
     * collection (the H2 map's at the start), as MongoDB's cursors may.
     */
    @Override
    protected QueryResult matchDocuments(Document query, Document orderBy, int numberToSkip, int limit,
            int batchSize, Document fieldSelector) {
        scanned.accept(fields(query));
        if (batchSize <= 0 || (orderBy != null && !orderBy.isEmpty())) {
            documentsRead.accept(count());
            return super.matchDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
        }
        Iterator<Document> matching = dataMap.values().stream()
                .peek(document -> documentsRead.accept(1))
                .filter(document -> documentMatchesQuery(document, query))
                .skip(Math.max(0, numberToSkip))
                .limit(limit > 0 ? limit : Long.MAX_VALUE)
                .iterator();
        LazyCursor rest = new LazyCursor(cursorRegistry.generateCursorId(), matching, fieldSelector);
        List<Document> first = rest.takeDocuments(batchSize);
        if (rest.isEmpty()) {
            return new QueryResult(first);
        }
        cursorRegistry.add(rest);
        return new QueryResult(first, rest);
    }

    /** The rest of a walk's answer, read and projected a batch at a time as {@code getMore} asks. */
    private final class LazyCursor extends AbstractCursor {

        private final Iterator<Document> matching;
        private final Document fieldSelector;

        LazyCursor(long id, Iterator<Document> matching, Document fieldSelector) {
            super(id);
            this.matching = matching;
            this.fieldSelector = fieldSelector;
        }

        @Override
        public boolean isEmpty() {
            return !matching.hasNext();
        }

        @Override
        public List<Document> takeDocuments(int numberToReturn) {
            int size = numberToReturn > 0 ? numberToReturn : DEFAULT_BATCH;
            List<Document> batch = new ArrayList<>(Math.min(size, DEFAULT_BATCH));
            while (batch.size() < size && matching.hasNext()) {
                batch.add(matching.next());
            }
            // projected as the backend projects (an empty query matches all, batch size 0 lists them at once)
            List<Document> projected = new ArrayList<>(batch.size());
            IndexedCollection.super.matchDocumentsFromStream(batch.stream(), new Document(), null, 0, 0, 0,
                    fieldSelector).forEach(projected::add);
            return projected;
        }
    }

    @Override
    protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit,
            int batchSize, Document fieldSelector) {
        List<Object> pinned = pinnedIds(query);
        if (pinned != null) {
            // each pinned document read once (an id with no document reads null), then matched like any other
            return matchDocumentsFromStream(read(pinned.stream()), query, orderBy, numberToSkip, limit, batchSize,
                    fieldSelector);
        }
        if (query == null || getIndexes().stream().anyMatch(index -> index.isUnique() && index.canHandle(query))) {
            return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
        }
        SecondaryIndex present = presentIndex(query);
        if (present != null) {
            indexRead.accept(present.getName());
            return matchDocumentsFromStream(read(present.positionsPresent().stream()), query, orderBy, numberToSkip,
                    limit, batchSize, fieldSelector);
        }
        Lookup lookup = lookup(query, fieldSelector);
        SortWalk walk = limit > 0 ? sortWalk(equalities(query), orderBy) : null;
        if (walk != null && (lookup == null || walk.count() <= lookup.count()
                || lookup.count() > Math.max(SORT_WALK_ABOVE, 20L * (numberToSkip + limit)))) {
            indexRead.accept(walk.index().getName());
            Stream<Object> ids = StreamSupport.stream(Spliterators.spliteratorUnknownSize(
                    walk.index().inOrder(walk.prefixes(), walk.reversed()), Spliterator.ORDERED), false);
            // already in the order asked for: matched, skipped and limited as it is read, stopping at a full page
            return matchDocumentsFromStream(read(ids), query, null, numberToSkip, limit, batchSize, fieldSelector);
        }
        if (lookup != null) {
            lookup.indexes().forEach(index -> indexRead.accept(index.getName()));
            List<Document> covered = lookup.index() != null && covers(lookup.index(), query, fieldSelector)
                    ? lookup.index().keyDocuments(lookup.prefixes()) : null;
            if (covered != null) {
                // answered from the index's keys alone, as MongoDB answers a covered query: no document read
                return matchDocumentsFromStream(covered.stream(), query, orderBy, numberToSkip, limit, batchSize,
                        fieldSelector);
            }
            return matchDocumentsFromStream(read(lookup.positions().stream()), query, orderBy, numberToSkip, limit,
                    batchSize, fieldSelector);
        }
        return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
    }

    /**
     * Whether the index holds everything a query asks and answers: every field the query names is one of its keys,
     * and the projection includes only keys of it and leaves {@code _id} out (MongoDB's covered query).
     */
    static boolean covers(SecondaryIndex index, Document query, Document fieldSelector) {
        if (fieldSelector == null || fieldSelector.isEmpty() || !(fieldSelector.get(ID) instanceof Number id)
                || id.intValue() != 0) {
            return false;
        }
        List<String> keys = index.fields();
        for (Map.Entry<String, Object> field : fieldSelector.entrySet()) {
            if (!field.getKey().equals(ID) && (!(field.getValue() instanceof Number included)
                    || included.intValue() != 1 || !keys.contains(field.getKey()))) {
                return false;
            }
        }
        Set<String> named = new TreeSet<>();
        namedFields(query, named);
        return keys.containsAll(named);
    }

    /** Every field a query names, at any depth of its operators. */
    private static void namedFields(Object condition, Set<String> named) {
        if (condition instanceof Document document) {
            document.forEach((key, value) -> {
                if (!key.startsWith("$") || key.equals("$exists") || key.equals("$type")) {
                    // an index cannot tell a missing field from a null one: a query that asks is not covered
                    named.add(key);
                }
                namedFields(value, named);
            });
        }
        else if (condition instanceof Collection<?> values) {
            values.forEach(value -> namedFields(value, named));
        }
    }

    /**
     * The documents a query matches, found the way {@link #queryDocuments} finds them (by pinned ids, through an
     * index, or walking the collection), for an aggregation that starts by matching: its other stages then run on
     * these alone. A stream read as the aggregation runs, never listed at once, as the backend's own is.
     */
    Stream<Document> matching(Document query) {
        List<Object> pinned = pinnedIds(query);
        Stream<Document> candidates;
        Index<Object> unique = getIndexes().stream().filter(index -> index.isUnique() && index.canHandle(query))
                .findFirst().orElse(null);
        if (pinned != null) {
            candidates = read(pinned.stream());
        }
        else if (unique != null) {
            candidates = read(StreamSupport.stream(unique.getPositions(query).spliterator(), false));
        }
        else {
            Lookup lookup = lookup(query, null);
            if (lookup != null) {
                lookup.indexes().forEach(index -> indexRead.accept(index.getName()));
                candidates = read(lookup.positions().stream());
            }
            else {
                scanned.accept(fields(query));
                documentsRead.accept(count());
                candidates = streamAllDocumentsWithPosition().map(DocumentWithPosition::getDocument);
            }
        }
        return candidates.filter(document -> documentMatchesQuery(document, query));
    }

    /** The documents of these ids, those removed meanwhile left out. */
    private Stream<Document> read(Stream<Object> ids) {
        return ids.map(this::getDocument).filter(Objects::nonNull).peek(document -> documentsRead.accept(1));
    }

    private List<SecondaryIndex> secondaryIndexes() {
        List<SecondaryIndex> found = new ArrayList<>();
        for (Index<Object> index : getIndexes()) {
            if (index instanceof SecondaryIndex secondary && secondary.usable()) {
                found.add(secondary);
            }
        }
        return found;
    }

    /**
     * Builds every declared index not built yet (one walk of the collection each), as a query needing it would:
     * at start, so that the first query through an index in service does not hold the collection's writers for
     * the build (30 s for the work queue's index with 220,000 items stored).
     *
     * @return how many indexes were built
     */
    int buildIndexes() {
        int builtNow = 0;
        for (Index<Object> index : getIndexes()) {
            if (index instanceof SecondaryIndex secondary && !secondary.built()) {
                built(secondary);
                builtNow++;
            }
        }
        return builtNow;
    }

    private SecondaryIndex built(SecondaryIndex index) {
        if (!index.built()) {
            index.ensureBuilt(this::streamAllDocumentsWithPosition);
        }
        return index;
    }

    private boolean usable(SecondaryIndex index) {
        return built(index).usable();
    }

    /**
     * For a query that is {@code {field: {$ne: null}}} alone, a built index leading with that field where each
     * document has one key (no array under a key: an empty array matches {@code $ne: null} and is listed under no
     * key), or null.
     */
    private SecondaryIndex presentIndex(Document query) {
        if (query.size() != 1) {
            return null;
        }
        Map.Entry<String, Object> condition = query.entrySet().iterator().next();
        if (condition.getKey().startsWith("$") || !(condition.getValue() instanceof Document operator)
                || operator.size() != 1 || !operator.containsKey("$ne") || operator.get("$ne") != null) {
            return null;
        }
        for (SecondaryIndex index : secondaryIndexes()) {
            if (index.fields().get(0).equals(condition.getKey()) && usable(index) && index.sortable()) {
                return index;
            }
        }
        return null;
    }

    /** The documents a query's keys lead to through one or more indexes, and how many. */
    record Lookup(List<SecondaryIndex> indexes, Supplier<List<Object>> ids, long count, SecondaryIndex index,
            List<List<Object>> prefixes) {

        List<Object> positions() {
            return ids.get();
        }
    }

    /**
     * The cheapest way to the documents by the values the query names: the conjunction's own (the index whose leading
     * keys it names most of, the fewest documents on a tie), or an {@code $or} whose every branch has one (their
     * union); null when no declared index serves it. Among indexes that lead to as few documents, one that covers
     * the query and its projection ({@link #covers}).
     */
    private Lookup lookup(Document query, Document fieldSelector) {
        List<SecondaryIndex> indexes = secondaryIndexes();
        if (indexes.isEmpty()) {
            return null;
        }
        Lookup best = lookup(indexes, equalities(query), query, fieldSelector);
        for (List<Document> branches : disjunctions(query)) {
            List<Lookup> each = new ArrayList<>();
            for (Document branch : branches) {
                Lookup one = lookup(indexes, equalities(branch), branch, null);
                if (one == null) {
                    each = null;
                    break;
                }
                each.add(one);
            }
            if (each == null || each.isEmpty()) {
                continue;
            }
            long count = each.stream().mapToLong(Lookup::count).sum();
            if (best == null || count < best.count()) {
                List<Lookup> union = each;
                best = new Lookup(union.stream().flatMap(one -> one.indexes().stream()).distinct().toList(), () -> {
                    Set<Object> ids = new TreeSet<>(ValueOrder.ASCENDING);
                    union.forEach(one -> ids.addAll(one.positions()));
                    return new ArrayList<>(ids);
                }, count, null, null);
            }
        }
        return best;
    }

    private Lookup lookup(List<SecondaryIndex> indexes, Map<String, List<Object>> equal, Document query,
            Document fieldSelector) {
        if (equal.isEmpty()) {
            return null;
        }
        int longest = 0;
        List<SecondaryIndex> candidates = new ArrayList<>();
        for (SecondaryIndex index : indexes) {
            int named = 0;
            while (named < index.fields().size() && equal.containsKey(index.fields().get(named))) {
                named++;
            }
            if (named > 0 && named >= longest) {
                if (named > longest) {
                    candidates.clear();
                    longest = named;
                }
                candidates.add(index);
            }
        }
        Lookup best = null;
        for (SecondaryIndex index : candidates) {
            List<List<Object>> prefixes = combinations(index.fields().subList(0, longest), equal);
            if (prefixes == null) {
                continue;
            }
            if (!usable(index)) {
                continue;
            }
            long count = index.count(prefixes);
            boolean better = best == null || count < best.count() || count == best.count()
                    && !covers(best.index(), query, fieldSelector) && covers(index, query, fieldSelector);
            if (better) {
                best = new Lookup(List.of(index), () -> index.positions(prefixes), count, index, prefixes);
            }
        }
        return best;
    }

    /** Every combination of the values named for these keys, in key order; null when there are too many. */
    private static List<List<Object>> combinations(List<String> keys, Map<String, List<Object>> equal) {
        List<List<Object>> combinations = new ArrayList<>();
        combinations.add(List.of());
        for (String key : keys) {
            List<List<Object>> longer = new ArrayList<>();
            for (List<Object> combination : combinations) {
                for (Object value : equal.get(key)) {
                    List<Object> next = new ArrayList<>(combination);
                    next.add(value);
                    longer.add(next);
                }
            }
            if (longer.size() > MAX_LOOKUPS) {
                return null;
            }
            combinations = longer;
        }
        return combinations;
    }

    /**
     * An index walked in the order of a sort ({@code reversed}: the other way), under the values the query names for
     * its keys before those of the sort (none: all of it), and how many documents that is at most.
     */
    record SortWalk(SecondaryIndex index, List<List<Object>> prefixes, boolean reversed, long count) {
    }

    /**
     * The cheapest index whose keys, after those the query names values for (or none), are the sort's, each in the
     * index's direction or each the other way, and which holds no array under its keys; null when none is.
     */
    private SortWalk sortWalk(Map<String, List<Object>> equal, Document orderBy) {
        if (orderBy == null || orderBy.isEmpty() || orderBy.containsKey("$natural")) {
            return null;
        }
        List<String> sortKeys = new ArrayList<>(orderBy.keySet());
        SortWalk best = null;
        for (SecondaryIndex index : secondaryIndexes()) {
            List<IndexKey> keys = index.getKeys();
            int named = 0;
            while (named < keys.size() && equal.containsKey(keys.get(named).getKey())) {
                named++;
            }
            for (int from : named > 0 ? new int[] {named, 0} : new int[] {0}) {
                Boolean reversed = sortedFrom(keys, from, sortKeys, orderBy);
                if (reversed == null) {
                    continue;
                }
                List<List<Object>> prefixes = from == 0 ? List.of(List.of())
                        : combinations(index.fields().subList(0, from), equal);
                if (prefixes == null || !usable(index) || !index.sortable()) {
                    continue;
                }
                long count = index.count(prefixes);
                if (best == null || count < best.count()) {
                    best = new SortWalk(index, prefixes, reversed, count);
                }
                break;
            }
        }
        return best;
    }

    /**
     * Whether the index's keys from {@code from} on start with the sort's keys: null if not, else whether each is the
     * other way round from the index's (all or none).
     */
    private static Boolean sortedFrom(List<IndexKey> keys, int from, List<String> sortKeys, Document orderBy) {
        if (keys.size() - from < sortKeys.size()) {
            return null;
        }
        Boolean reversed = null;
        for (int i = 0; i < sortKeys.size(); i++) {
            IndexKey key = keys.get(from + i);
            boolean ascending = orderBy.get(sortKeys.get(i)) instanceof Number direction && direction.intValue() > 0;
            boolean opposite = key.isAscending() != ascending;
            if (!key.getKey().equals(sortKeys.get(i)) || reversed != null && reversed != opposite) {
                return null;
            }
            reversed = opposite;
        }
        return reversed;
    }

    /**
     * The values a query requires its fields to equal ({@code field: value}, {@code {$eq: value}} or
     * {@code {$in: [values]}}, at the top or in {@code $and}, one level of it after another), by field.
     */
    static Map<String, List<Object>> equalities(Document query) {
        Map<String, List<Object>> equal = new LinkedHashMap<>();
        if (query == null) {
            return equal;
        }
        query.forEach((key, value) -> {
            if (key.equals("$and") && value instanceof Collection<?> clauses) {
                clauses.forEach(clause -> {
                    if (clause instanceof Document condition) {
                        equalities(condition).forEach(equal::putIfAbsent);
                    }
                });
            }
            else if (!key.startsWith("$")) {
                List<Object> values = lookedUp(value);
                if (values != null) {
                    equal.putIfAbsent(key, values);
                }
            }
        });
        return equal;
    }

    /** The {@code $or}s a query requires (at the top or in {@code $and}), each as its branches. */
    static List<List<Document>> disjunctions(Document query) {
        List<List<Document>> found = new ArrayList<>();
        if (query == null) {
            return found;
        }
        if (query.get("$or") instanceof Collection<?> branches
                && branches.stream().allMatch(branch -> branch instanceof Document)) {
            found.add(branches.stream().map(Document.class::cast).toList());
        }
        if (query.get("$and") instanceof Collection<?> clauses) {
            clauses.forEach(clause -> {
                if (clause instanceof Document condition) {
                    found.addAll(disjunctions(condition));
                }
            });
        }
        return found;
    }

    private static List<Object> lookedUp(Object value) {
        if (lookable(value)) {
            return Collections.singletonList(value);
        }
        if (value instanceof Document condition) {
            if (condition.containsKey("$eq") && lookable(condition.get("$eq"))) {
                return Collections.singletonList(condition.get("$eq"));
            }
            if (condition.get("$in") instanceof Collection<?> values && !values.isEmpty()
                    && values.stream().allMatch(IndexedCollection::lookable)) {
                return new ArrayList<>(new LinkedHashSet<>(values));
            }
        }
        return null;
    }

    /**
     * A value an index is looked up by: compared by value, never matching an array or document as a whole. Null is
     * one: it matches a missing field too, which the index lists under null.
     */
    private static boolean lookable(Object value) {
        return value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof ObjectId || value instanceof Instant || value instanceof java.util.Date;
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
