package org.city311.deploy.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.DocumentWithPosition;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.Document;

/**
 * A non-unique index the services declare (for MongoDB's planner), kept by the local store too: mongo-java-server
 * accepts such an index but keeps nothing for it, so every query it would serve walked the whole collection.
 * <p>
 * The index is in memory, in the order its keys declare (each key ascending or descending, values compared as
 * MongoDB compares them), each entry the documents' ids sharing one key, in id order. It is built by one walk of the
 * collection the first time a query needs it ({@link #ensureBuilt}), then kept up to date by every write; an index no
 * query uses costs nothing. Nothing of it is stored: a restart builds it again on first use.
 * <p>
 * What it answers: the ids of the documents whose leading keys equal given values ({@link #positions}), for a query
 * that names them; and those ids in the order of the keys that follow ({@link #inOrder}), for a query sorted as
 * the index is ordered after them (several values of a leading key merged, as MongoDB's planner merges them). The query is
 * then matched on those documents as on any other ({@link IndexedCollection}): the index narrows, never decides.
 */
final class SecondaryIndex extends Index<Object> {

    /** Below or above every value: bounds a range of the entries that share a prefix. */
    private enum Bound { LOWEST, HIGHEST }

    /** How many keys a walk reads at a time under the index's lock. */
    private static final int PIECE = 256;

    /** Each key's order of values (ascending or descending as declared, bounds below and above all values). */
    private final List<Comparator<Object>> byKey;
    private final Comparator<List<Object>> order;
    private final NavigableMap<List<Object>, Object> entries;
    /** Whether some document holds an array under a key (MongoDB's multikey index): not walked for a sort then. */
    private boolean multikey;
    private boolean built;
    private boolean unusable;
    private long positions;
    /**
     * Whether a key names an array's element by its position ({@code outbox.0}: the first pending event), which
     * mongo-java-server's key paths do not resolve (they see no value there, in every document).
     */
    private final boolean positional;

    SecondaryIndex(String name, List<IndexKey> keys, boolean sparse) {
        super(name, keys, sparse);
        this.byKey = keys.stream()
                .map(key -> key.isAscending() ? ValueOrder.ASCENDING : ValueOrder.DESCENDING)
                .map(SecondaryIndex::bounded).toList();
        this.order = keyOrder(byKey);
        this.entries = new TreeMap<>(order);
        this.positional = keys.stream().anyMatch(key -> Arrays.stream(key.getKey().split("\\."))
                .anyMatch(SecondaryIndex::isPosition));
    }

    private static boolean isPosition(String segment) {
        return !segment.isEmpty() && segment.chars().allMatch(Character::isDigit);
    }

    /**
     * The document's key, for an index with a positional key resolved as MongoDB resolves it: {@code outbox.0} is
     * the first element of {@code outbox}, null when the array is empty or missing. An array met anywhere else on
     * such a key's path, or held at its end, is refused ({@link IllegalArgumentException}): the index then stops
     * being used rather than list a document wrongly.
     */
    @Override
    public Set<KeyValue> getKeyValues(Document document) {
        if (!positional) {
            return super.getKeyValues(document);
        }
        List<Object> values = new ArrayList<>();
        for (String field : fields()) {
            values.add(positionalValue(document, field));
        }
        return Set.of(new KeyValue(values));
    }

    private static Object positionalValue(Document document, String field) {
        Object current = document;
        for (String segment : field.split("\\.")) {
            if (current instanceof Document fields) {
                current = fields.get(segment);
            }
            else if (current instanceof List<?> list && isPosition(segment)) {
                int position = Integer.parseInt(segment);
                current = position < list.size() ? list.get(position) : null;
            }
            else if (current instanceof Collection<?>) {
                throw new IllegalArgumentException("an array on the path of " + field);
            }
            else {
                return null; // missing, or a value that has no fields
            }
        }
        if (current instanceof Collection<?>) {
            throw new IllegalArgumentException("an array under " + field);
        }
        return current;
    }

    @Override
    protected boolean nullAwareEqualsKeys(Document oldDocument, Document newDocument) {
        return positional ? getKeyValues(oldDocument).equals(getKeyValues(newDocument))
                : super.nullAwareEqualsKeys(oldDocument, newDocument);
    }

    private static Comparator<List<Object>> keyOrder(List<Comparator<Object>> byKey) {
        return (a, b) -> {
            for (int i = 0; i < byKey.size(); i++) {
                int compared = byKey.get(i).compare(a.get(i), b.get(i));
                if (compared != 0) {
                    return compared;
                }
            }
            return 0;
        };
    }

    private static Comparator<Object> bounded(Comparator<Object> values) {
        return (a, b) -> {
            if (a instanceof Bound || b instanceof Bound) {
                return Integer.compare(rank(a), rank(b));
            }
            return values.compare(a, b);
        };
    }

    private static int rank(Object value) {
        return value == Bound.LOWEST ? -1 : value == Bound.HIGHEST ? 1 : 0;
    }

    /** The index's key names, in order. */
    List<String> fields() {
        return keys();
    }

    synchronized boolean built() {
        return built;
    }

    /**
     * Builds the index from the collection's documents, once. A document it cannot hold (arrays under two of its keys,
     * which MongoDB refuses to index) leaves the index unused, every query then answered as if it were not declared.
     */
    synchronized void ensureBuilt(Supplier<Stream<DocumentWithPosition<Object>>> documents) {
        if (built || unusable) {
            return;
        }
        try {
            documents.get().forEach(document -> put(document.getDocument(), document.getPosition()));
            built = true;
        }
        catch (RuntimeException cannotHold) {
            drop();
            unusable = true;
        }
    }

    /** Whether queries may read through it: not left unused by {@link #ensureBuilt}. */
    synchronized boolean usable() {
        return !unusable;
    }

    /** Whether the index may be walked for a sort: built, and no document holds an array under a key. */
    synchronized boolean sortable() {
        return built && !multikey;
    }

    /**
     * The ids of the documents whose leading keys equal one of the combinations given (each the values of the first
     * keys, in order), in id order; built first.
     */
    synchronized List<Object> positions(Collection<List<Object>> prefixes) {
        Set<Object> found = new TreeSet<>(ValueOrder.ASCENDING);
        for (List<Object> prefix : prefixes) {
            for (Object held : range(prefix).values()) {
                addTo(found, held);
            }
        }
        return new ArrayList<>(found);
    }

    /**
     * One document of the index's keys for each document under the prefixes (a key's null left out, as a missing
     * field), for a query the index covers; null where the keys cannot stand for the documents: a dotted key, an
     * array under a key, or a number (the index holds numbers as doubles, which would change their type).
     */
    synchronized List<Document> keyDocuments(Collection<List<Object>> prefixes) {
        List<String> fields = fields();
        if (multikey || fields.stream().anyMatch(field -> field.contains("."))) {
            return null;
        }
        List<Document> documents = new ArrayList<>();
        for (List<Object> prefix : prefixes) {
            for (Map.Entry<List<Object>, Object> entry : range(prefix).entrySet()) {
                Document keys = new Document();
                for (int i = 0; i < fields.size(); i++) {
                    Object value = entry.getKey().get(i);
                    if (value instanceof Number) {
                        return null;
                    }
                    if (value != null) {
                        keys.put(fields.get(i), value);
                    }
                }
                int held = entry.getValue() instanceof Set<?> ids ? ids.size() : 1;
                for (int copy = 0; copy < held; copy++) {
                    documents.add(keys);
                }
            }
        }
        return documents;
    }

    /**
     * The ids of the documents whose first key is neither null nor missing, in id order: those
     * {@code {field: {$ne: null}}} may match, when no document holds an array under a key ({@link #sortable}).
     */
    synchronized List<Object> positionsPresent() {
        List<Object> absent = new ArrayList<>(Collections.singletonList(null));
        List<Object> from = new ArrayList<>(absent);
        List<Object> to = new ArrayList<>(absent);
        while (from.size() < getKeys().size()) {
            from.add(Bound.LOWEST);
            to.add(Bound.HIGHEST);
        }
        Set<Object> found = new TreeSet<>(ValueOrder.ASCENDING);
        entries.headMap(from, false).values().forEach(held -> addTo(found, held));
        entries.tailMap(to, false).values().forEach(held -> addTo(found, held));
        return new ArrayList<>(found);
    }

    /** How many documents {@link #positions} would give, without listing them. */
    synchronized long count(Collection<List<Object>> prefixes) {
        long count = 0;
        for (List<Object> prefix : prefixes) {
            for (Object held : range(prefix).values()) {
                count += held instanceof Set<?> set ? set.size() : 1;
            }
        }
        return count;
    }

    /**
     * The ids of the documents under the given prefixes (each the values of the first keys, all of one length; one
     * empty prefix: every document), in the order of the keys that follow them ({@code reversed}: the other way),
     * the prefixes' ranges merged as they are read; ids sharing a key in id order. Read lazily in pieces, each copied
     * under the index's lock, so a write in between is seen or not, as with MongoDB's yielding index scans: the
     * query is matched on each document read.
     */
    Iterator<Object> inOrder(List<List<Object>> prefixes, boolean reversed) {
        int from = prefixes.isEmpty() ? 0 : prefixes.get(0).size();
        Comparator<List<Object>> suffix = (a, b) -> {
            for (int i = from; i < byKey.size(); i++) {
                int compared = byKey.get(i).compare(a.get(i), b.get(i));
                if (compared != 0) {
                    return reversed ? -compared : compared;
                }
            }
            return 0;
        };
        PriorityQueue<RangeCursor> heads = new PriorityQueue<>((a, b) -> suffix.compare(a.head(), b.head()));
        for (List<Object> prefix : prefixes) {
            RangeCursor cursor = new RangeCursor(prefix, reversed);
            if (cursor.advance()) {
                heads.add(cursor);
            }
        }
        return new Iterator<>() {
            private final ArrayDeque<Object> pending = new ArrayDeque<>();

            @Override
            public boolean hasNext() {
                if (pending.isEmpty() && !heads.isEmpty()) {
                    RangeCursor first = heads.poll();
                    pending.addAll(first.ids());
                    if (first.advance()) {
                        heads.add(first);
                    }
                }
                return !pending.isEmpty();
            }

            @Override
            public Object next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return pending.poll();
            }
        };
    }

    /** One prefix's range, read in pieces of {@value #PIECE} keys. */
    private final class RangeCursor {

        private final List<Object> prefix;
        private final boolean reversed;
        private final ArrayDeque<Map.Entry<List<Object>, List<Object>>> piece = new ArrayDeque<>();
        private Map.Entry<List<Object>, List<Object>> current;
        private List<Object> after;
        private boolean exhausted;

        RangeCursor(List<Object> prefix, boolean reversed) {
            this.prefix = prefix;
            this.reversed = reversed;
        }

        List<Object> head() {
            return current.getKey();
        }

        List<Object> ids() {
            return current.getValue();
        }

        /** Moves to the next key of the range; false once past its end. */
        boolean advance() {
            if (piece.isEmpty() && !exhausted) {
                synchronized (SecondaryIndex.this) {
                    NavigableMap<List<Object>, Object> view = range(prefix);
                    if (reversed) {
                        view = view.descendingMap();
                    }
                    NavigableMap<List<Object>, Object> rest = after == null ? view : view.tailMap(after, false);
                    for (Map.Entry<List<Object>, Object> entry : rest.entrySet()) {
                        List<Object> ids = new ArrayList<>();
                        addTo(ids, entry.getValue());
                        if (reversed) {
                            Collections.reverse(ids);
                        }
                        piece.add(Map.entry(entry.getKey(), ids));
                        after = entry.getKey();
                        if (piece.size() == PIECE) {
                            break;
                        }
                    }
                    exhausted = piece.size() < PIECE;
                }
            }
            current = piece.poll();
            return current != null;
        }
    }

    private NavigableMap<List<Object>, Object> range(List<Object> prefix) {
        List<Object> from = new ArrayList<>(prefix);
        List<Object> to = new ArrayList<>(prefix);
        while (from.size() < getKeys().size()) {
            from.add(Bound.LOWEST);
            to.add(Bound.HIGHEST);
        }
        return entries.subMap(from, true, to, true);
    }

    private static void addTo(Collection<Object> found, Object held) {
        if (held instanceof Set<?> set) {
            found.addAll(set);
        }
        else {
            found.add(held);
        }
    }

    private void put(Document document, Object position) {
        Set<KeyValue> keyValues = getKeyValues(document);
        if (keyValues.size() != 1 || !positional && fields().stream()
                .anyMatch(field -> Utils.getSubdocumentValueCollectionAware(document, field) instanceof Collection<?>)) {
            // an array under a key (even of one element, or none: then not listed at all) sorts by its elements
            multikey = true;
        }
        for (KeyValue keyValue : keyValues) {
            List<Object> key = key(keyValue);
            Object held = entries.get(key);
            if (held == null) {
                entries.put(key, position);
                positions++;
            }
            else if (held instanceof Set<?> set) {
                @SuppressWarnings("unchecked")
                Set<Object> ids = (Set<Object>) set;
                if (ids.add(position)) {
                    positions++;
                }
            }
            else if (ValueOrder.ASCENDING.compare(held, position) != 0) {
                Set<Object> ids = new TreeSet<>(ValueOrder.ASCENDING);
                ids.add(held);
                ids.add(position);
                entries.put(key, ids);
                positions++;
            }
        }
    }

    private void take(Document document, Object position) {
        for (KeyValue keyValue : getKeyValues(document)) {
            List<Object> key = key(keyValue);
            Object held = entries.get(key);
            if (held instanceof Set<?> set) {
                if (set.remove(position)) {
                    positions--;
                }
                if (set.size() == 1) {
                    entries.put(key, set.iterator().next());
                }
            }
            else if (held != null && ValueOrder.ASCENDING.compare(held, position) == 0) {
                entries.remove(key);
                positions--;
            }
        }
    }

    private static List<Object> key(KeyValue keyValue) {
        List<Object> key = new ArrayList<>(keyValue.size());
        keyValue.forEach(key::add);
        return key;
    }

    /** The position of a document in the H2 backend: its {@code _id}, as the backend keys its map. */
    @Override
    public Object getPosition(Document document) {
        return document.get("_id");
    }

    @Override
    public void checkAdd(Document document, MongoCollection<Object> collection) {
        // not unique: nothing to refuse
    }

    @Override
    public synchronized void add(Document document, Object position, MongoCollection<Object> collection) {
        if (built) {
            try {
                put(document, position);
            }
            catch (RuntimeException cannotHold) {
                giveUp();
            }
        }
    }

    /**
     * A document the index cannot hold was written (the write stands: the index is the local store's, never a
     * reason to refuse one): the index is left unused from then on.
     */
    private void giveUp() {
        drop();
        built = false;
        unusable = true;
    }

    @Override
    public synchronized Object remove(Document document) {
        Object position = getPosition(document);
        if (built) {
            try {
                take(document, position);
            }
            catch (RuntimeException cannotHold) {
                giveUp();
            }
        }
        return position;
    }

    @Override
    public boolean canHandle(Document query) {
        // the collection chooses among its indexes itself (IndexedCollection): the backend's own choice stays with
        // the unique indexes, whose keys must be exactly the query's
        return false;
    }

    @Override
    public Iterable<Object> getPositions(Document query) {
        throw new UnsupportedOperationException("chosen by IndexedCollection, never by the backend");
    }

    @Override
    public synchronized long getCount() {
        return positions;
    }

    /** Never empty to the backend: it would otherwise build every index at once when the collection opens. */
    @Override
    public boolean isEmpty() {
        return false;
    }

    @Override
    public long getDataSize() {
        return 0;
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<Object> collection) {
        // not unique: nothing to refuse
    }

    @Override
    public synchronized void updateInPlace(Document oldDocument, Document newDocument, Object position,
            MongoCollection<Object> collection) {
        if (built) {
            try {
                if (!nullAwareEqualsKeys(oldDocument, newDocument)) {
                    take(oldDocument, position);
                    put(newDocument, position);
                }
            }
            catch (RuntimeException cannotHold) {
                giveUp();
            }
        }
    }

    @Override
    public synchronized void drop() {
        entries.clear();
        positions = 0;
        multikey = false;
    }
}
