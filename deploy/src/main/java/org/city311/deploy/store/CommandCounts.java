package org.city311.deploy.store;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import de.bwaldvogel.mongo.bson.Document;

/**
 * The commands the store served, by database, collection and command: what the bench divides by the requests filed
 * to say how many store round trips a request costs. A bulk write is one command, as it is one round trip.
 */
final class CommandCounts {

    /** The commands the services' drivers send as part of keeping a connection, not as work for a request. */
    private static final java.util.Set<String> HOUSEKEEPING = java.util.Set.of("ismaster", "hello", "ping",
            "buildinfo", "saslstart", "saslcontinue", "endsessions", "killcursors", "getlasterror");

    private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();

    record Key(String database, String collection, String command) implements Comparable<Key> {

        @Override
        public int compareTo(Key other) {
            return java.util.Comparator.comparing(Key::database).thenComparing(Key::collection)
                    .thenComparing(Key::command).compare(this, other);
        }
    }

    void count(Document command) {
        Key key = keyOf(command);
        if (key != null) {
            add(counts, key, 1);
        }
    }

    /** The command's key, or null for connection housekeeping. */
    static Key keyOf(Document command) {
        String name = command.keySet().stream().findFirst().orElse("");
        String lower = name.toLowerCase(Locale.ROOT);
        if (HOUSEKEEPING.contains(lower) || lower.isEmpty()) {
            return null;
        }
        Object database = command.get("$db");
        Object target = command.get(name);
        // getMore names its collection apart; its first value is the cursor id.
        Object collection = "getmore".equals(lower) ? command.get("collection") : target;
        return new Key(database instanceof String db ? db : "", collection instanceof String c ? c : "",
                lower);
    }

    /** Queries that walked a whole collection, by database, collection and the fields they name (as command). */
    private final Map<Key, LongAdder> scans = new ConcurrentHashMap<>();

    void scanned(String database, String collection, String fields) {
        add(scans, new Key(database, collection, fields), 1);
    }

    Map<Key, Long> scans() {
        return sorted(scans);
    }

    /** Queries read through a declared index, by database, collection and the index's name (as command). */
    private final Map<Key, LongAdder> indexReads = new ConcurrentHashMap<>();

    void indexRead(String database, String collection, String index) {
        add(indexReads, new Key(database, collection, index), 1);
    }

    Map<Key, Long> indexReads() {
        return sorted(indexReads);
    }

    /** Documents read by queries, by database and collection (command: empty). */
    private final Map<Key, LongAdder> documentsRead = new ConcurrentHashMap<>();

    void read(String database, String collection, long documents) {
        add(documentsRead, new Key(database, collection, ""), documents);
    }

    Map<Key, Long> documentsRead() {
        return sorted(documentsRead);
    }

    Map<Key, Long> snapshot() {
        return sorted(counts);
    }

    private static void add(Map<Key, LongAdder> counters, Key key, long amount) {
        counters.computeIfAbsent(key, k -> new LongAdder()).add(amount);
    }

    /** The counters as they are now, in key order. */
    private static Map<Key, Long> sorted(Map<Key, LongAdder> counters) {
        Map<Key, Long> snapshot = new TreeMap<>();
        counters.forEach((key, count) -> snapshot.put(key, count.sum()));
        return snapshot;
    }
}
