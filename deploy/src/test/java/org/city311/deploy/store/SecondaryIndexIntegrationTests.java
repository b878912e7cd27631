package org.city311.deploy.store;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoServer;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The indexes the services declare, kept by the local store: every query answers exactly what the same query answers
 * on a twin collection without indexes (which walks everything, as the store did before), while reading only what
 * the index leads to. The documents are shaped like the services' (a request's filer, its additional reporters, a
 * work item's department, status and agent, times).
 */
class SecondaryIndexIntegrationTests {

    private static final String[] DEPARTMENTS = {"housing", "parks", "sanitation", "transportation"};
    private static final String[] STATUSES = {"routed", "in_progress", "on_hold", "resolved", "closed"};
    private static final String[] STAFF = {"alice", "bob", "carol", "dan"};
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path work;

    private LocalStoreBackend backend;
    private MongoServer server;
    private MongoClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.shutdownNow();
        }
    }

    private MongoDatabase open() {
        backend = new LocalStoreBackend(work.resolve("store.mv").toString());
        server = new MongoServer(backend);
        client = MongoClients.create(server.bindAndGetConnectionString());
        return client.getDatabase("city");
    }

    private void close() {
        client.close();
        server.shutdownNow();
        client = null;
        server = null;
    }

    /** {@code count} documents, the same in both collections; the first has the services' indexes declared. */
    private static void given(MongoCollection<Document> indexed, MongoCollection<Document> twin, int count) {
        indexed.createIndex(Indexes.ascending("department", "status", "agent"));
        indexed.createIndex(Indexes.descending("submittedAt", "_id"));
        indexed.createIndex(Indexes.ascending("filedBy"));
        indexed.createIndex(Indexes.ascending("additionalReporters.addedBy"));
        indexed.createIndex(Indexes.ascending("outbox.0"));
        Random random = new Random(7);
        List<Document> documents = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            documents.add(document(random, i));
        }
        indexed.insertMany(documents);
        twin.insertMany(documents.stream().map(Document::new).toList());
    }

    private static Document document(Random random, int i) {
        Document document = new Document("_id", String.format("311-%06d", i))
                .append("department", DEPARTMENTS[random.nextInt(DEPARTMENTS.length)])
                .append("status", STATUSES[random.nextInt(STATUSES.length)])
                .append("filedBy", STAFF[random.nextInt(STAFF.length)])
                // many share a second, so the id decides between them
                .append("submittedAt", START.plusSeconds(random.nextInt(count(i))))
                .append("priority", random.nextInt(3));
        if (random.nextInt(4) == 0) {
            document.append("agent", "agent-" + random.nextInt(3));
        }
        if (random.nextInt(10) == 0) {
            document.append("additionalReporters", List.of(new Document("addedBy", STAFF[random.nextInt(4)])));
        }
        // events waiting to be published in a few; none in most, and no outbox at all in older ones
        if (random.nextInt(50) == 0) {
            document.append("outbox", List.of(new Document("eventId", "event-" + i).append("topic", "city311.requests"),
                    new Document("eventId", "event-" + i + "-2")));
        }
        else if (i % 7 != 0) {
            document.append("outbox", List.of());
        }
        return document;
    }

    private static int count(int i) {
        return Math.max(1, i / 3);
    }

    /** The queries the services make (the queue, a search page, "my filings", counts), each on both collections. */
    private static List<Function<MongoCollection<Document>, List<Document>>> queries() {
        Bson open = Filters.in("status", "routed", "in_progress", "on_hold");
        Bson newestFirst = Sorts.orderBy(Sorts.descending("submittedAt"), Sorts.descending("_id"));
        return List.of(
                items -> found(items.find(Filters.and(Filters.eq("department", "parks"), open))
                        .sort(Sorts.ascending("submittedAt", "_id")).limit(50)),
                items -> found(items.find(Filters.and(Filters.and(Filters.eq("department", "housing"), open),
                        Filters.eq("agent", "agent-1")))),
                items -> found(items.find(Filters.eq("department", "sanitation")).sort(Sorts.ascending("_id"))),
                items -> found(items.find().sort(newestFirst).limit(26)),
                items -> found(items.find().sort(newestFirst).skip(25).limit(26)),
                items -> found(items.find(Filters.or(Filters.lt("submittedAt", START.plusSeconds(500)),
                        Filters.and(Filters.eq("submittedAt", START.plusSeconds(500)), Filters.lt("_id", "311-001700"))))
                        .sort(newestFirst).limit(26)),
                items -> found(items.find(Filters.and(open, Filters.eq("priority", 2))).sort(newestFirst).limit(10)),
                items -> found(items.find(Filters.or(Filters.eq("filedBy", "carol"),
                        Filters.eq("additionalReporters.addedBy", "carol"))).sort(newestFirst).limit(200)),
                items -> found(items.find(Filters.and(Filters.eq("filedBy", "dan"), Filters.in("status", "closed")))),
                items -> List.of(new Document("n", items.countDocuments(Filters.and(Filters.eq("department", "parks"),
                        open)))),
                items -> found(items.find(Filters.in("department", "parks", "housing")).sort(Sorts.descending("_id"))
                        .limit(5)),
                // the outbox relay's sweep: documents with events waiting (no order asked; compared in id order)
                items -> found(items.find(Filters.ne("outbox.0", null)).projection(Projections.include("outbox"))
                        .limit(200)).stream().sorted(Comparator.comparing(document -> document.getString("_id")))
                        .toList());
    }

    private static List<Document> found(FindIterable<Document> found) {
        return found.into(new ArrayList<>());
    }

    private static void assertSameAnswers(MongoCollection<Document> indexed, MongoCollection<Document> twin) {
        List<Function<MongoCollection<Document>, List<Document>>> queries = queries();
        for (int i = 0; i < queries.size(); i++) {
            assertThat(queries.get(i).apply(indexed)).as("query %d", i).isEqualTo(queries.get(i).apply(twin));
        }
    }

    private long scans(String collection) {
        return backend.counts().scans().entrySet().stream()
                .filter(entry -> entry.getKey().collection().equals(collection))
                .mapToLong(java.util.Map.Entry::getValue).sum();
    }

    private long indexReads(String collection) {
        return backend.counts().indexReads().entrySet().stream()
                .filter(entry -> entry.getKey().collection().equals(collection))
                .mapToLong(java.util.Map.Entry::getValue).sum();
    }

    @Test
    void shouldAnswerEveryQueryAsAWalkOfEverythingWouldWhileReadingThroughTheDeclaredIndexes() {
        // given 5,000 documents, with the services' indexes declared on one collection and none on its twin
        MongoDatabase city = open();
        MongoCollection<Document> indexed = city.getCollection("requests");
        MongoCollection<Document> twin = city.getCollection("twin");
        given(indexed, twin, 5_000);

        // when the services' queries are asked of both, then they answer the same
        assertSameAnswers(indexed, twin);

        // and on the indexed collection every one of them was read through an index (the twin walked each time):
        // one each, two for "my filings" (the filer's and the additional reporters')
        assertThat(scans("twin")).isEqualTo(queries().size());
        assertThat(scans("requests")).isZero();
        assertThat(indexReads("requests")).isEqualTo(queries().size() + 1);
        assertThat(backend.metricsText()).contains("mongo_wire_store_index_reads_total{database=\"city\","
                + "collection=\"requests\",index=\"submittedAt_-1__id_-1\"}");
        // and a count by id is read by id
        assertThat(indexed.countDocuments(Filters.eq("_id", "311-000042"))).isOne();
        assertThat(scans("requests")).isZero();
    }

    @Test
    void shouldKeepItsIndexesUpToDateThroughEveryKindOfWrite() {
        // given both collections, their indexes built by a first round of queries
        MongoDatabase city = open();
        MongoCollection<Document> indexed = city.getCollection("requests");
        MongoCollection<Document> twin = city.getCollection("twin");
        given(indexed, twin, 2_000);
        assertSameAnswers(indexed, twin);

        // when the same writes change both: keys changed, documents removed and added, upserts, an array added
        for (MongoCollection<Document> items : List.of(indexed, twin)) {
            items.updateMany(Filters.eq("department", "parks"), Updates.set("status", "closed"));
            items.updateMany(Filters.and(Filters.eq("department", "housing"), Filters.eq("status", "routed")),
                    Updates.combine(Updates.set("agent", "agent-1"), Updates.set("status", "in_progress")));
            items.deleteMany(Filters.eq("filedBy", "bob"));
            items.updateOne(Filters.eq("_id", "311-new"), Updates.combine(Updates.set("department", "parks"),
                    Updates.set("status", "routed"), Updates.set("filedBy", "carol"),
                    Updates.set("submittedAt", START.plusSeconds(99_999))), new UpdateOptions().upsert(true));
            items.findOneAndUpdate(Filters.eq("_id", "311-000010"),
                    Updates.push("additionalReporters", new Document("addedBy", "carol")));
            items.insertOne(new Document("_id", "311-late").append("department", "parks").append("status", "on_hold")
                    .append("filedBy", "carol").append("submittedAt", START)
                    .append("outbox", List.of(new Document("eventId", "late"))));
            // events left in a few documents, and every event of one filer's published
            items.updateMany(Filters.in("_id", "311-000011", "311-000012", "311-000014"),
                    Updates.push("outbox", new Document("eventId", "pushed")));
            items.updateMany(Filters.eq("filedBy", "alice"), Updates.set("outbox", List.of()));
            items.updateOne(Filters.eq("_id", "311-000012"), Updates.popFirst("outbox"));
        }

        // then every query still answers the same on both, read through the indexes
        long scansBefore = scans("requests");
        assertSameAnswers(indexed, twin);
        assertThat(scans("requests")).isEqualTo(scansBefore);
    }

    @Test
    void shouldBuildItsIndexesAgainAfterARestartFromTheDefinitionsStored() {
        // given a store with declared indexes and documents, stopped
        MongoDatabase city = open();
        given(city.getCollection("requests"), city.getCollection("twin"), 1_000);
        close();

        // when it opens again
        MongoDatabase again = open();

        // then its queries are answered as before, read through the indexes it rebuilt on first use
        assertSameAnswers(again.getCollection("requests"), again.getCollection("twin"));
        assertThat(scans("requests")).isZero();
    }

    @Test
    void shouldNotWalkAnIndexForASortWhenADocumentHoldsAnArrayUnderItsKey() {
        // given an index on a key that one document holds as an array (MongoDB sorts an array by its elements)
        MongoDatabase city = open();
        MongoCollection<Document> items = city.getCollection("tagged");
        items.createIndex(Indexes.ascending("tag"));
        List<Document> documents = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            documents.add(new Document("_id", i).append("tag", "t" + (i % 5)));
        }
        documents.add(new Document("_id", 50).append("tag", List.of("t9", "a0")));
        items.insertMany(documents);

        // when a page is asked sorted by it, then the answer is the walk's (sorted in memory), and the array is
        // found by an element through the index
        assertThat(items.find().sort(Sorts.ascending("tag")).limit(1).first().get("_id")).isEqualTo(50);
        assertThat(items.find(Filters.eq("tag", "a0")).first().get("_id")).isEqualTo(50);
        assertThat(indexReads("tagged")).isEqualTo(1);
    }

    @Test
    void shouldReadAQueuePageByMergingItsOpenStatusesInDueOrderWithoutWalkingClosedHistory() {
        // given a department's work: 2,700 closed items (all due before any open one), 300 open in three statuses,
        // some of them undated; the queue's index declared on one collection, none on its twin
        MongoDatabase city = open();
        MongoCollection<Document> indexed = city.getCollection("work");
        MongoCollection<Document> twin = city.getCollection("twin");
        indexed.createIndex(Indexes.ascending("department", "status", "dueAt", "routedAt", "_id"));
        indexed.createIndex(Indexes.ascending("department", "status", "agent", "dueAt"));
        Random random = new Random(11);
        List<Document> items = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            boolean closed = i < 2_700;
            Document item = new Document("_id", String.format("311-%06d", i)).append("department", "parks")
                    .append("status", closed ? "closed" : STATUSES[random.nextInt(3)])
                    .append("routedAt", START.plusSeconds(random.nextInt(1_000)))
                    .append("agent", "agent-" + random.nextInt(3));
            if (closed || random.nextInt(10) > 0) {
                item.append("dueAt", START.plusSeconds((closed ? 0 : 100_000) + random.nextInt(50_000)));
            }
            items.add(item);
        }
        indexed.insertMany(items);
        twin.insertMany(items.stream().map(Document::new).toList());
        Bson open = Filters.and(Filters.eq("department", "parks"), Filters.in("status", "routed", "in_progress",
                "on_hold"));
        Bson dueOrder = Sorts.ascending("dueAt", "routedAt", "_id");

        // when the queue's pages are asked of both: dated work in due order, the next page after a cursor, the
        // undated work in routing order, and one agent's own
        List<Function<MongoCollection<Document>, List<Document>>> pages = List.of(
                work -> found(work.find(Filters.and(open, Filters.ne("dueAt", null))).sort(dueOrder).limit(51)),
                work -> {
                    Document last = found(work.find(Filters.and(open, Filters.ne("dueAt", null))).sort(dueOrder)
                            .limit(50)).get(49);
                    return found(work.find(Filters.and(open, Filters.ne("dueAt", null), Filters.or(
                            Filters.gt("dueAt", last.get("dueAt")),
                            Filters.and(Filters.eq("dueAt", last.get("dueAt")), Filters.gt("routedAt",
                                    last.get("routedAt"))),
                            Filters.and(Filters.eq("dueAt", last.get("dueAt")), Filters.eq("routedAt",
                                    last.get("routedAt")), Filters.gt("_id", last.get("_id"))))))
                            .sort(dueOrder).limit(51));
                },
                work -> found(work.find(Filters.and(open, Filters.eq("dueAt", null)))
                        .sort(Sorts.ascending("routedAt", "_id")).limit(51)),
                work -> found(work.find(Filters.and(open, Filters.eq("agent", "agent-2"), Filters.ne("dueAt", null)))
                        .sort(dueOrder).limit(51)));

        // then each answers the same, and the indexed one read a page's worth of documents, never the history
        for (int i = 0; i < pages.size(); i++) {
            long before = read("work");
            assertThat(pages.get(i).apply(indexed)).as("page %d", i).isEqualTo(pages.get(i).apply(twin));
            assertThat(read("work") - before).as("documents read for page %d", i).isLessThan(250);
        }
        assertThat(read("twin")).isEqualTo(3_000L * (pages.size() + 1));

        // and the queue's counts (each open item's status, agent and due time, without its id) are answered from
        // the index that holds them all, reading no document, as MongoDB's covered query is
        Bson counted = Projections.fields(Projections.include("status", "agent", "dueAt"), Projections.excludeId());
        long before = read("work");
        List<Document> fromKeys = found(indexed.find(open).projection(counted));
        assertThat(fromKeys).hasSize(300).containsExactlyInAnyOrderElementsOf(found(twin.find(open).projection(counted)));
        assertThat(read("work") - before).isZero();
        // but not where the index cannot tell a missing field from a null one
        assertThat(found(indexed.find(Filters.and(open, Filters.exists("dueAt", false))).projection(counted)))
                .containsExactlyInAnyOrderElementsOf(found(twin.find(Filters.and(open, Filters.exists("dueAt", false)))
                        .projection(counted)));
        assertThat(read("work") - before).isPositive();
    }

    @Test
    void shouldKeepEveryWriteAndEveryAnswerWhenADocumentHoldsArraysUnderTwoKeysOfAnIndex() {
        // given a compound index in use, then a document with arrays under both its keys (MongoDB refuses to index
        // one; the local store keeps the write and stops using the index)
        MongoDatabase city = open();
        MongoCollection<Document> items = city.getCollection("pairs");
        items.createIndex(Indexes.ascending("a", "b"));
        items.insertOne(new Document("_id", 1).append("a", "x").append("b", "y"));
        assertThat(items.find(Filters.eq("a", "x")).into(new ArrayList<>())).hasSize(1);

        // when
        items.insertOne(new Document("_id", 2).append("a", List.of("x", "z")).append("b", List.of("y", "w")));

        // then both documents are stored and found, by walking the collection as before
        assertThat(items.find(Filters.eq("a", "x")).map(found -> found.get("_id")).into(new ArrayList<>()))
                .containsExactly(1, 2);
        assertThat(scans("pairs")).isOne();
    }

    private long read(String collection) {
        return backend.counts().documentsRead().entrySet().stream()
                .filter(entry -> entry.getKey().collection().equals(collection))
                .mapToLong(java.util.Map.Entry::getValue).sum();
    }
}
