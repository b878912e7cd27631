package org.city311.deploy.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.aggregation.Aggregation;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * mongo-java-server's H2 backend as the local run and the end-to-end tests use it: writes acknowledged only once
 * committed (in groups), every command counted, the {@code hello} command answered, and queries read by
 * {@code _id} or through the indexes the services declare ({@link IndexedCollection}).
 */
public final class LocalStoreBackend extends H2Backend {

    /**
     * Commands that change data. H2's store commits on its own about once a second, so a write it had already
     * acknowledged could be lost when the process dies (found by killing it with SIGKILL under load: a consumer's
     * update was acknowledged, its Kafka offset committed, and the update gone after the restart). Acknowledging
     * only after a commit makes an acknowledged write survive a crash of this process, as a journaled MongoDB write
     * does; {@link GroupCommit} makes one commit cover all the writes waiting for it.
     */
    private static final Set<String> WRITES = Set.of("insert", "update", "delete", "findandmodify",
            "createindexes", "dropindexes", "drop", "dropdatabase", "create", "renamecollection");

    private static final int HOUSEKEEPING_EVERY_SECONDS = 10;
    /** H2's own defaults for its background writer: chunks under 90 % in use rewritten, at most 16 MB a round. */
    private static final int COMPACT_FILL_RATE = 90;
    private static final int COMPACT_BYTES = 16 * 1024 * 1024;
    private static final int PAGE_SPLIT_SIZE = 4 * 1024;

    /**
     * Write commands apply under the read side (side by side, each under its collection's lock, as before); a commit
     * and the store's housekeeping take the write side. mongo-java-server updates a stored document in place (it
     * removes and puts the fields of the instance the map holds, then puts it back), so a commit that serialized
     * pages while a write was under way read a document half changed: Java serialization wrote that half without a
     * word (a crash before the next commit would have kept it), BSON's encoder threw ConcurrentModificationException
     * and failed the commit and every write waiting on it (found by the storm bench).
     */
    private final ReentrantReadWriteLock applying = new ReentrantReadWriteLock();
    private final GroupCommit groupCommit = new GroupCommit(this::commitApplied);
    /**
     * Rewrites the file's partly used chunks now and then, as H2's own background writer (off here) did; it does not
     * move chunks to shrink the file as that writer also did.
     */
    private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "mongo-wire-store-housekeeping");
        thread.setDaemon(true);
        return thread;
    });
    private final CommandCounts counts = new CommandCounts();
    /** The file's version when housekeeping last looked (after its own commit, if any); only it reads or sets it. */
    private long versionAfterHousekeeping = -1;
    /**
     * Every collection opened, for {@link #buildIndexes()}. Made on first use, with no initializer: H2Backend's
     * constructor opens the stored collections before this class's initializers run (one would empty it again).
     */
    private List<IndexedCollection> collections;

    public LocalStoreBackend(String fileName) {
        this(fileName, HOUSEKEEPING_EVERY_SECONDS);
    }

    /** With housekeeping every that many seconds (tests run its rounds themselves). */
    LocalStoreBackend(String fileName, long housekeepingEverySeconds) {
        super(openStore(fileName));
        housekeeping.scheduleWithFixedDelay(this::compact, housekeepingEverySeconds, housekeepingEverySeconds,
                TimeUnit.SECONDS);
    }

    /**
     * The H2 file, committed only by {@link #commitApplied} and {@link #compact}: no background writer (it
     * committed about once a second, whatever writes were under way) and no commit from a writer whose changes
     * fill the write buffer (the same, in a writer's thread). Every write is committed before it is acknowledged
     * anyway ({@link GroupCommit}).
     * <p>
     * Pages split at 4 KB instead of H2's 16 KB: a commit writes each changed page whole, every document in it, so a
     * page of three ledgers was written three times over for one ledger changed. With pages of one or two
     * documents a rebuild's store took a fifth less CPU and left a file 40 % smaller (300,000 requests: 57 s and
     * 1.1 GB before, 45 s and 660 MB after). A file written with larger pages opens unchanged.
     */
    private static MVStore openStore(String fileName) {
        return new MVStore.Builder().fileName(fileName).autoCommitDisabled().autoCommitBufferSize(0)
                .pageSplitSize(PAGE_SPLIT_SIZE).open();
    }

    private void commitApplied() {
        applying.writeLock().lock();
        try {
            commit();
        }
        finally {
            applying.writeLock().unlock();
        }
    }

    /**
     * What H2's background writer did besides committing: chunks left mostly empty by later writes rewritten. Only
     * after a client's write: a round's own commit leaves the chunk of the round before partly out of date (the maps'
     * upper pages change at every commit), so rounds that followed only each other rewrote chunks forever. With
     * 247,000 requests stored and no command served, that kept the store at 17–25 % of a core, most of it garbage
     * collection of the pages read. H2 1.4's writer had the same guard (file operations by others since its last
     * round).
     *
     * @return whether the round rewrote anything
     */
    boolean compact() {
        applying.writeLock().lock();
        try {
            MVStore store = getMvStore();
            // not while a cursor is open: a walk handed out a batch at a time reads one version of a collection's
            // pages, and chunks rewritten here may be freed before it has read them
            if (store.isClosed() || getCursorRegistry().size() > 0
                    || store.getCurrentVersion() == versionAfterHousekeeping) {
                return false;
            }
            boolean rewrote = store.compact(COMPACT_FILL_RATE, COMPACT_BYTES);
            if (rewrote) {
                commit();
            }
            versionAfterHousekeeping = store.getCurrentVersion();
            return rewrote;
        }
        catch (RuntimeException failed) {
            // the next round tries again; nothing acknowledged depends on it
            System.err.println("Mongo-wire store: compacting the file failed: " + failed);
            return false;
        }
        finally {
            applying.writeLock().unlock();
        }
    }

    @Override
    public void close() {
        housekeeping.shutdownNow();
        applying.writeLock().lock();
        try {
            super.close();
        }
        finally {
            applying.writeLock().unlock();
        }
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        return new Database(databaseName);
    }

    /**
     * A database whose collections read by {@code _id} whenever a query pins it ({@link IndexedCollection}), write
     * their documents as BSON ({@link BsonDocumentType}) and find ids in their documents map ({@link IdIndex}), their
     * maps named as mongo-java-server names them: a store file of the plain backend opens here unchanged (not the
     * other way round: its documents would be unreadable there once written as BSON). An inner class on purpose:
     * H2Database's constructor opens the collections already stored before any field of a subclass is set, while an
     * inner class's outer instance is set before that.
     */
    private final class Database extends H2Database {

        Database(String databaseName) {
            super(databaseName, getMvStore(), getCursorRegistry());
        }

        @Override
        protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
            String namespace = getFullCollectionNamespace(collectionName);
            IndexedCollection collection = new IndexedCollection(this, collectionName, options, documents(namespace),
                    getMvStore().openMap("meta." + namespace), getCursorRegistry(),
                    fields -> scanned(getDatabaseName(), collectionName, fields),
                    index -> indexRead(getDatabaseName(), collectionName, index),
                    documents -> documentsRead(getDatabaseName(), collectionName, documents));
            opened().add(collection);
            return collection;
        }

        /**
         * A collection's documents, keyed by {@code _id}, written as BSON. Opened here before the backend opens the
         * map by its name alone (to drop or rename it): H2 hands out the map opened first, with its value type.
         */
        private MVMap<Object, Document> documents(String namespace) {
            return getMvStore().openMap("databases." + namespace,
                    new MVMap.Builder<Object, Document>().valueType(new BsonDocumentType()));
        }

        /** The {@code _id} index served by the documents map itself ({@link IdIndex}); any other as the backend's. */
        @Override
        protected Index<Object> openOrCreateUniqueIndex(String collectionName, String indexName, List<IndexKey> keys,
                boolean sparse) {
            if (!IdIndex.isIdIndex(keys)) {
                return super.openOrCreateUniqueIndex(collectionName, indexName, keys, sparse);
            }
            String namespace = getFullCollectionNamespace(collectionName);
            return new IdIndex(indexName, keys, sparse, documents(namespace),
                    getMvStore().openMap(namespace + "._index_" + indexName));
        }

        @Override
        public void dropCollection(String collectionName, Oplog oplog) {
            documents(getFullCollectionNamespace(collectionName));
            super.dropCollection(collectionName, oplog);
        }

        @Override
        public void moveCollection(MongoDatabase oldDatabase, MongoCollection<?> collection,
                String newCollectionName) {
            documents(collection.getFullName());
            super.moveCollection(oldDatabase, collection, newCollectionName);
        }

        /** A non-unique index the services declare, kept (in memory) instead of ignored: {@link SecondaryIndex}. */
        @Override
        protected Index<Object> openOrCreateSecondaryIndex(String collectionName, String indexName,
                List<IndexKey> keys, boolean sparse) {
            return new SecondaryIndex(indexName, keys, sparse);
        }
    }

    /**
     * Builds the declared indexes of every collection stored, which otherwise are built by the first query that
     * needs each (holding that collection's writers meanwhile): run at start, beside the first clients.
     *
     * @return how many indexes were built
     */
    public int buildIndexes() {
        int built = 0;
        for (IndexedCollection collection : opened()) {
            built += collection.buildIndexes();
        }
        return built;
    }

    private synchronized List<IndexedCollection> opened() {
        if (collections == null) {
            collections = new CopyOnWriteArrayList<>();
        }
        return collections;
    }

    // handleMessage, not handleCommand: netty's Channel in the latter's signature is not on our compile classpath.
    @Override
    public Document handleMessage(MongoMessage message) {
        Document command = message.getDocument();
        counts.count(command);
        String name = command.keySet().stream().findFirst().orElse("");
        if (WRITES.contains(name.toLowerCase(Locale.ROOT))) {
            Document response;
            applying.readLock().lock();
            try {
                response = super.handleMessage(message);
            }
            finally {
                applying.readLock().unlock();
            }
            groupCommit.awaitDurable();
            return response;
        }
        if ("listDatabases".equalsIgnoreCase(name)) {
            return listDatabases();
        }
        if ("aggregate".equalsIgnoreCase(name)) {
            Document answer = aggregateFromItsMatch(message.getDatabaseName(), command);
            if (answer != null) {
                return answer;
            }
        }
        if (!"hello".equalsIgnoreCase(name)) {
            return super.handleMessage(message);
        }
        // mongo-java-server 1.47.0 knows the legacy isMaster but not its successor hello, which Spring Boot's Mongo
        // health indicator sends: without this the services' health stays DOWN. The command name is the first key.
        Document rest = command.clone();
        Object value = rest.remove(name);
        command.clear();
        command.put("isMaster", value);
        command.putAll(rest);
        Document response = super.handleMessage(message);
        response.put("isWritablePrimary", Boolean.TRUE);
        return response;
    }

    /**
     * An aggregation that starts with {@code $match} (a count is one: the driver counts with {@code $match} and
     * {@code $group}), its documents found as a query's are ({@link IndexedCollection#matching}), through an index
     * where one serves; mongo-java-server 1.47.0 runs every pipeline over every document of the collection. Null
     * for any other pipeline (left to the backend).
     */
    private Document aggregateFromItsMatch(String databaseName, Document command) {
        if (!(command.get("aggregate") instanceof String collectionName)) {
            return null;
        }
        List<Document> pipeline = Aggregation.parse(command.get("pipeline"));
        if (pipeline.isEmpty() || pipeline.get(0).size() != 1 || !(pipeline.get(0).get("$match") instanceof Document match)) {
            return null;
        }
        MongoDatabase database = resolveDatabase(databaseName);
        if (!(database.resolveCollection(collectionName, false) instanceof IndexedCollection collection)) {
            return null;
        }
        Aggregation rest = Aggregation.fromPipeline(pipeline.subList(1, pipeline.size()), this::resolveDatabase,
                database, collection, oplog);
        if (rest.isModifying()) {
            return null;
        }
        rest.validate(command);
        List<Document> answered = rest.runStages(collection.matching(match));
        return new Document("cursor", new Document("id", 0L).append("ns", databaseName + "." + collectionName)
                .append("firstBatch", answered)).append("ok", 1.0);
    }

    /**
     * {@code listDatabases}, which Spring Boot's Mongo health indicator sends on every health check, answered from
     * the databases open already. mongo-java-server 1.47.0 answers it by opening each database anew, which rebuilds
     * the unique indexes of all its collections by reading every document: with some 10,000 requests stored a
     * health check took seconds of the store's CPU, and starting the local run (which polls the services' health)
     * took minutes.
     */
    private Document listDatabases() {
        List<Document> databases = new ArrayList<>();
        for (String databaseName : new TreeSet<>(listDatabaseNames())) {
            databases.add(new Document("name", databaseName).append("empty",
                    resolveDatabase(databaseName).isEmpty()));
        }
        return new Document("databases", databases).append("ok", 1.0);
    }

    /** A query walked a whole collection; those the backend makes while it opens (before it counts) go uncounted. */
    private void scanned(String database, String collection, String fields) {
        CommandCounts counting = counts;
        if (counting != null) {
            counting.scanned(database, collection, fields);
        }
    }

    /** A query was read through a declared index. */
    private void indexRead(String database, String collection, String index) {
        CommandCounts counting = counts;
        if (counting != null) {
            counting.indexRead(database, collection, index);
        }
    }

    /** A query read this many documents (of those stored: a walk reads them all). */
    private void documentsRead(String database, String collection, long documents) {
        CommandCounts counting = counts;
        if (counting != null) {
            counting.read(database, collection, documents);
        }
    }

    CommandCounts counts() {
        return counts;
    }

    GroupCommit groupCommit() {
        return groupCommit;
    }

    /** The counters in Prometheus' text format, as the store's metrics endpoint serves them. */
    public String metricsText() {
        StringBuilder text = new StringBuilder();
        text.append("# HELP mongo_wire_store_commands_total Commands the local store served (a bulk write is one).\n")
                .append("# TYPE mongo_wire_store_commands_total counter\n");
        counts.snapshot().forEach((key, count) -> text.append("mongo_wire_store_commands_total{database=\"")
                .append(escape(key.database())).append("\",collection=\"").append(escape(key.collection()))
                .append("\",command=\"").append(escape(key.command())).append("\"} ").append(count).append('\n'));
        text.append("# HELP mongo_wire_store_writes_total Write commands acknowledged after their commit.\n")
                .append("# TYPE mongo_wire_store_writes_total counter\n")
                .append("mongo_wire_store_writes_total ").append(groupCommit.writes()).append('\n')
                .append("# HELP mongo_wire_store_commits_total Commits of the H2 file made for acknowledged writes.\n")
                .append("# TYPE mongo_wire_store_commits_total counter\n")
                .append("mongo_wire_store_commits_total ").append(groupCommit.commits()).append('\n');
        text.append("# HELP mongo_wire_store_scans_total Queries that walked a whole collection (no index served them), by the fields they name.\n")
                .append("# TYPE mongo_wire_store_scans_total counter\n");
        counts.scans().forEach((key, count) -> text.append("mongo_wire_store_scans_total{database=\"")
                .append(escape(key.database())).append("\",collection=\"").append(escape(key.collection()))
                .append("\",fields=\"").append(escape(key.command())).append("\"} ").append(count).append('\n'));
        text.append("# HELP mongo_wire_store_documents_read_total Documents queries read to find what they answer (a walk reads every one).\n")
                .append("# TYPE mongo_wire_store_documents_read_total counter\n");
        counts.documentsRead().forEach((key, count) -> text.append("mongo_wire_store_documents_read_total{database=\"")
                .append(escape(key.database())).append("\",collection=\"").append(escape(key.collection()))
                .append("\"} ").append(count).append('\n'));
        text.append("# HELP mongo_wire_store_index_reads_total Queries read through a declared (non-unique) index, by index.\n")
                .append("# TYPE mongo_wire_store_index_reads_total counter\n");
        counts.indexReads().forEach((key, count) -> text.append("mongo_wire_store_index_reads_total{database=\"")
                .append(escape(key.database())).append("\",collection=\"").append(escape(key.collection()))
                .append("\",index=\"").append(escape(key.command())).append("\"} ").append(count).append('\n'));
        return text.toString();
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
