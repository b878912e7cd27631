package org.city311.deploy.store;

import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.stream.Stream;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import org.h2.mvstore.MVMap;

/**
 * A collection's {@code _id} index, served by the collection's own documents map (which the H2 backend keys by
 * {@code _id}) for the ids every service uses, strings and ObjectIds.
 * <p>
 * mongo-java-server keeps the {@code _id} index as a second H2 map keyed by {@code KeyValue}, a class H2 can only
 * compare by Java-serializing both sides: a profile of a rebuild spent 43 % of the store's CPU there (each insert and
 * each read by id walks that map, serializing two objects at every step), to hold what the documents map already
 * holds in the same order. Here an id of those two types is looked up in the documents map, compared as a string or
 * ObjectId, and nothing more is written for it. Ids of other types (numbers, which MongoDB compares by value across
 * int, long and double; documents) keep mongo-java-server's map, so that {@code 1} and {@code 1.0} are still one id.
 * <p>
 * The library's map of a store file written before this may still list string ids, some of them long deleted: they
 * are never read here, and a file written here lists none of them, so mongo-java-server's plain backend would not
 * find them there (its {@code _id} index would be wrong): a file of this store opens in this store.
 */
final class IdIndex extends AbstractUniqueIndex<Object> {

    private static final String ID = "_id";

    private final MVMap<Object, Document> documents;
    private final MVMap<KeyValue, Object> otherIds;

    IdIndex(String name, List<IndexKey> keys, boolean sparse, MVMap<Object, Document> documents,
            MVMap<KeyValue, Object> otherIds) {
        super(name, keys, sparse);
        this.documents = documents;
        this.otherIds = otherIds;
    }

    /** Whether the documents map is this id's index entry: a string or an ObjectId is its own normalized key. */
    static boolean keyedByDocument(Object id) {
        return id instanceof String || id instanceof ObjectId;
    }

    /** Whether the index's keys are {@code _id} alone: the index this class serves. */
    static boolean isIdIndex(List<IndexKey> keys) {
        return keys.size() == 1 && ID.equals(keys.get(0).getKey());
    }

    @Override
    protected Object getPosition(KeyValue keyValue) {
        Object id = keyValue.get(0);
        if (keyedByDocument(id)) {
            return documents.containsKey(id) ? id : null;
        }
        return otherIds.get(keyValue);
    }

    @Override
    protected boolean putKeyPosition(KeyValue keyValue, Object position) {
        if (keyedByDocument(keyValue.get(0))) {
            return true;
        }
        return otherIds.putIfAbsent(keyValue, Missing.ofNullable(position)) == null;
    }

    @Override
    protected Object removeDocument(KeyValue keyValue) {
        if (keyedByDocument(keyValue.get(0))) {
            // the collection removes the document itself, right after asking every index for its position
            return getPosition(keyValue);
        }
        return otherIds.remove(keyValue);
    }

    /**
     * The collection adds a document to its map before it adds it to its indexes, and the backend's {@code add}
     * checks for a duplicate first: for an id the map keys, that check would find the document itself.
     */
    @Override
    public synchronized void add(Document document, Object position, MongoCollection<Object> collection) {
        if (keyedByDocument(document.get(ID))) {
            return;
        }
        super.add(document, position, collection);
    }

    @Override
    protected Iterable<Entry<KeyValue, Object>> getIterable() {
        // the documents' keys, and the other ids' entries (not those a store file written before lists for strings)
        return () -> Stream.concat(
                documents.keySet().stream().filter(IdIndex::keyedByDocument)
                        .map(id -> Map.entry(new KeyValue(id), id)),
                otherIds.entrySet().stream().filter(entry -> !keyedByDocument(entry.getKey().get(0))))
                .iterator();
    }

    @Override
    public long getCount() {
        return documents.sizeAsLong();
    }

    @Override
    public boolean isEmpty() {
        return documents.isEmpty();
    }

    @Override
    public long getDataSize() {
        return getCount();
    }
}
