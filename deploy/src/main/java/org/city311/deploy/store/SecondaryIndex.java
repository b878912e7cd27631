package org.city311.deploy.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
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
import de.bwaldvogel.mongo.backend.ValueComparator;
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
 * that names them; and its documents in key order ({@link #inOrder}), for a query sorted as the index is. The query is
 * then matched on those documents as on any other ({@link IndexedCollection}): the index narrows, never decides.
 */
final class SecondaryIndex extends Index<Object> {

    /** Below or above every value: bounds a range of the entries that share a prefix. */
    private enum Bound { LOWEST, HIGHEST }

    private final Comparator<List<Object>> order;
    private final NavigableMap<List<Object>, Object> entries;
    /** Whether some document holds an array under a key (MongoDB's multikey index): not walked for a sort then. */
    private boolean multikey;
    private boolean built;
    private long positions;

    SecondaryIndex(String name, List<IndexKey> keys, boolean sparse) {
        super(name, keys, sparse);
        this.order = keyOrder(keys);
        this.entries = new TreeMap<>(order);
    }

    private static Comparator<List<Object>> keyOrder(List<IndexKey> keys) {
        List<Comparator<Object>> byKey = keys.stream()
                .map(key -> key.isAscending() ? ValueComparator.asc() : ValueComparator.desc())
                .map(SecondaryIndex::bounded).toList();
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

    /** Builds the index from the collection's documents, once. */
    synchronized void ensureBuilt(Supplier<Stream<DocumentWithPosition<Object>>> documents) {
        if (built) {
            return;
        }
        documents.get().forEach(document -> put(document.getDocument(), document.getPosition()));
        built = true;
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
        Set<Object> found = new TreeSet<>(ValueComparator.asc());
        for (List<Object> prefix : prefixes) {
            for (Object held : range(prefix).values()) {
                addTo(found, held);
            }
        }
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
     * Every document's id in the index's order ({@code reversed}: the other way), ids sharing a key in id order. A
     * snapshot taken lazily in pieces: each piece copied under the index's lock, so a write in between is seen or
     * not, as with MongoDB's yielding index scans; the query is matched on each document read.
     */
    Iterator<Object> inOrder(boolean reversed) {
        return new Iterator<>() {
            private List<Object> after;
            private final List<Object> pending = new ArrayList<>();

            @Override
            public boolean hasNext() {
                if (pending.isEmpty()) {
                    fill();
                }
                return !pending.isEmpty();
            }

            @Override
            public Object next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return pending.remove(0);
            }

            private void fill() {
                synchronized (SecondaryIndex.this) {
                    NavigableMap<List<Object>, Object> view = reversed ? entries.descendingMap() : entries;
                    NavigableMap<List<Object>, Object> rest = after == null ? view : view.tailMap(after, false);
                    int taken = 0;
                    for (Map.Entry<List<Object>, Object> entry : rest.entrySet()) {
                        List<Object> ids = new ArrayList<>();
                        addTo(ids, entry.getValue());
                        if (reversed) {
                            java.util.Collections.reverse(ids);
                        }
                        pending.addAll(ids);
                        after = entry.getKey();
                        if (++taken == 256) {
                            break;
                        }
                    }
                }
            }
        };
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
        if (keyValues.size() != 1 || fields().stream()
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
            else if (ValueComparator.asc().compare(held, position) != 0) {
                Set<Object> ids = new TreeSet<>(ValueComparator.asc());
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
            else if (held != null && ValueComparator.asc().compare(held, position) == 0) {
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
            put(document, position);
        }
    }

    @Override
    public synchronized Object remove(Document document) {
        Object position = getPosition(document);
        if (built) {
            take(document, position);
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
        if (built && !nullAwareEqualsKeys(oldDocument, newDocument)) {
            take(oldDocument, position);
            put(newDocument, position);
        }
    }

    @Override
    public synchronized void drop() {
        entries.clear();
        positions = 0;
        multikey = false;
    }
}
