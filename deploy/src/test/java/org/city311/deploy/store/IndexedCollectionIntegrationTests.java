package org.city311.deploy.store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Guarded writes and reads that pin {@code _id} beside other conditions: answered as before, without walking the
 * collection (every service guards its writes that way; on the plain backend each one scanned all history).
 */
class IndexedCollectionIntegrationTests {

    private static final String SCANS = "mongo_wire_store_scans_total{database=\"city\",collection=\"work\"";

    @TempDir
    Path work;

    @Test
    void shouldAnswerQueriesThatPinTheIdByReadingThoseDocumentsOnly() {
        LocalStoreBackend backend = new LocalStoreBackend(work.resolve("store.mv").toString());
        MongoServer server = new MongoServer(backend);
        try (MongoClient client = MongoClients.create(server.bindAndGetConnectionString())) {
            // given a history of 2,000 work items
            MongoCollection<Document> items = client.getDatabase("city").getCollection("work");
            List<Document> history = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                history.add(new Document("_id", "311-" + i).append("department", i % 2 == 0 ? "parks" : "housing")
                        .append("sequence", 1));
            }
            items.insertMany(history);

            // when writes and reads pin an id beside their guard, then each answers as MongoDB would
            assertThat(items.updateOne(Filters.and(Filters.eq("_id", "311-7"), Filters.eq("sequence", 1)),
                    Updates.set("sequence", 2)).getModifiedCount()).isEqualTo(1);
            assertThat(items.updateOne(Filters.and(Filters.eq("_id", "311-7"), Filters.eq("sequence", 1)),
                    Updates.set("sequence", 3)).getMatchedCount()).as("a stale guard").isZero();
            assertThatThrownBy(() -> items.updateOne(
                    Filters.and(Filters.eq("_id", "311-8"), Filters.exists("department", false)),
                    Updates.set("department", "sanitation"), new UpdateOptions().upsert(true)))
                    .as("an upsert that must not overwrite what is there").isInstanceOf(MongoWriteException.class)
                    .hasMessageContaining("duplicate key");
            assertThat(items.updateOne(Filters.and(Filters.eq("_id", "311-new"), Filters.exists("department", false)),
                    Updates.set("department", "sanitation"), new UpdateOptions().upsert(true)).getUpsertedId())
                    .as("the same upsert of a new id").isNotNull();
            assertThat(items.find(Filters.and(Filters.in("_id", "311-1", "311-2", "311-3", "311-3", "none"),
                            Filters.eq("department", "housing"))).map(item -> item.getString("_id"))
                    .into(new ArrayList<>())).containsExactlyInAnyOrder("311-1", "311-3");
            assertThat(items.findOneAndUpdate(Filters.and(Filters.eq("_id", "311-9"), Filters.lte("sequence", 1)),
                    Updates.inc("sequence", 1)).getString("department")).isEqualTo("housing");
            assertThat(items.deleteOne(Filters.and(Filters.eq("_id", "311-10"), Filters.eq("department", "parks")))
                    .getDeletedCount()).isEqualTo(1);
            assertThat(items.find(Filters.eq("_id", "311-7")).first().get("sequence")).isEqualTo(2);

            // and none of them walked the collection, which a query on another field still does (and counts)
            assertThat(backend.metricsText()).doesNotContain(SCANS);
            assertThat(items.find(Filters.eq("department", "parks")).into(new ArrayList<>())).hasSize(999);
            assertThat(backend.metricsText()).contains(SCANS + ",fields=\"department\"} 1\n");
        }
        finally {
            server.shutdownNow();
        }
    }

    @Test
    void shouldHandOutAWalkOfTheCollectionABatchAtATimeAsTheClientReadsIt() {
        LocalStoreBackend backend = new LocalStoreBackend(work.resolve("store.mv").toString());
        MongoServer server = new MongoServer(backend);
        try (MongoClient client = MongoClients.create(server.bindAndGetConnectionString())) {
            // given 3,000 ledgers, every third one open
            MongoCollection<Document> ledgers = client.getDatabase("city").getCollection("ledgers");
            List<Document> history = new ArrayList<>();
            for (int i = 0; i < 3_000; i++) {
                history.add(new Document("_id", "311-" + i).append("open", i % 3 == 0).append("events", i)
                        .append("department", "parks"));
            }
            ledgers.insertMany(history);

            // when a query no index serves is read through in batches of 100, with a projection
            List<Document> open = ledgers.find(Filters.eq("open", true)).batchSize(100)
                    .projection(new Document("events", 1)).into(new ArrayList<>());

            // then it answers every match, projected, as a whole answer would
            assertThat(open).hasSize(1_000).allSatisfy(ledger -> assertThat(ledger.keySet())
                    .containsExactlyInAnyOrder("_id", "events"));
            assertThat(open).extracting(ledger -> ledger.getInteger("events")).doesNotHaveDuplicates()
                    .allMatch(events -> events % 3 == 0);
            assertThat(documentsRead(backend)).isEqualTo(3_000);

            // and when a client stops after the first batch of a walk, the walk stops there too
            try (MongoCursor<Document> cursor = ledgers.find(Filters.eq("department", "parks")).batchSize(50)
                    .iterator()) {
                for (int i = 0; i < 50; i++) {
                    cursor.next();
                }
            }
            assertThat(documentsRead(backend) - 3_000).as("documents read for the first batch").isBetween(50L, 51L);
        }
        finally {
            server.shutdownNow();
        }
    }

    private static long documentsRead(LocalStoreBackend backend) {
        return backend.metricsText().lines()
                .filter(line -> line.startsWith("mongo_wire_store_documents_read_total{database=\"city\","
                        + "collection=\"ledgers\"}"))
                .mapToLong(line -> Long.parseLong(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void shouldBuildTheDeclaredIndexesOfAStoreItOpensWhenAskedAtStartAndEachOnlyOnce() {
        // given a store with work items and the queue's declared index, closed
        String file = work.resolve("store.mv").toString();
        LocalStoreBackend first = new LocalStoreBackend(file);
        MongoServer writer = new MongoServer(first);
        try (MongoClient client = MongoClients.create(writer.bindAndGetConnectionString())) {
            MongoCollection<Document> items = client.getDatabase("city").getCollection("work");
            List<Document> history = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                history.add(new Document("_id", "311-" + i).append("department", i % 2 == 0 ? "parks" : "housing")
                        .append("status", "routed"));
            }
            items.insertMany(history);
            items.createIndex(new Document("department", 1).append("status", 1));
        }
        finally {
            writer.shutdownNow();
        }

        // when it is opened again and its indexes are built at start
        LocalStoreBackend again = new LocalStoreBackend(file);
        MongoServer server = new MongoServer(again);
        try (MongoClient client = MongoClients.create(server.bindAndGetConnectionString())) {
            assertThat(again.buildIndexes()).as("built at start").isEqualTo(1);
            assertThat(again.buildIndexes()).as("built once").isZero();

            // then a query reads through the index, as it would have after building it itself
            assertThat(client.getDatabase("city").getCollection("work").find(Filters.eq("department", "parks"))
                    .into(new ArrayList<>())).hasSize(250);
            assertThat(again.metricsText()).doesNotContain("mongo_wire_store_scans_total{database=\"city\"")
                    .contains("mongo_wire_store_index_reads_total{database=\"city\",collection=\"work\"");
        }
        finally {
            server.shutdownNow();
        }
    }

    @Test
    void shouldOpenAStoreFileThePlainBackendWroteAndKeepItsDocumentsAndIds() {
        // given a file written by mongo-java-server's own H2 backend (documents Java-serialized, ids in its own map)
        String file = work.resolve("plain.mv").toString();
        MongoServer plain = new MongoServer(new H2Backend(file));
        try (MongoClient client = MongoClients.create(plain.bindAndGetConnectionString())) {
            MongoCollection<Document> items = client.getDatabase("city").getCollection("work");
            items.insertOne(new Document("_id", "311-1").append("sequence", 1));
            items.insertOne(new Document("_id", "311-2").append("sequence", 1));
            items.insertOne(new Document("_id", 7).append("sequence", 1));
        }
        finally {
            plain.shutdownNow();
        }
        // when the local store opens it, writes with a guard and removes one
        MongoServer local = new MongoServer(new LocalStoreBackend(file));
        try (MongoClient client = MongoClients.create(local.bindAndGetConnectionString())) {
            MongoCollection<Document> items = client.getDatabase("city").getCollection("work");
            assertThat(items.updateOne(Filters.and(Filters.eq("_id", "311-1"), Filters.eq("sequence", 1)),
                    Updates.set("sequence", 2)).getModifiedCount()).isEqualTo(1);
            items.deleteOne(Filters.eq("_id", "311-2"));

            // then what it wrote is read as written, its ids stay unique, and a removed id may be used again
            assertThat(items.find(Filters.eq("_id", "311-1")).first().get("sequence")).isEqualTo(2);
            assertThatThrownBy(() -> items.insertOne(new Document("_id", "311-1")))
                    .isInstanceOfSatisfying(MongoWriteException.class, refused -> assertThat(refused.getCode())
                            .isEqualTo(11000));
            assertThatThrownBy(() -> items.insertOne(new Document("_id", 7.0)))
                    .isInstanceOfSatisfying(MongoWriteException.class, refused -> assertThat(refused.getCode())
                            .isEqualTo(11000));
            items.insertOne(new Document("_id", "311-2").append("sequence", 5));
            assertThat(items.find(Filters.eq("_id", "311-2")).first().get("sequence")).isEqualTo(5);
            assertThat(items.countDocuments()).isEqualTo(3);
        }
        finally {
            local.shutdownNow();
        }
    }

    @Test
    void shouldListTheDatabasesWithoutReadingTheirCollectionsAgain() {
        LocalStoreBackend backend = new LocalStoreBackend(work.resolve("store.mv").toString());
        MongoServer server = new MongoServer(backend);
        try (MongoClient client = MongoClients.create(server.bindAndGetConnectionString())) {
            // given two databases, one with a history of 2,000 work items
            MongoCollection<Document> items = client.getDatabase("city").getCollection("work");
            List<Document> history = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                history.add(new Document("_id", "311-" + i));
            }
            items.insertMany(history);
            client.getDatabase("other").getCollection("things").insertOne(new Document("_id", "x"));
            String before = backend.metricsText();

            // when the services' health indicator lists the databases, as it does on every health check
            List<String> names = new ArrayList<>();
            for (int check = 0; check < 3; check++) {
                names = client.listDatabaseNames().into(new ArrayList<>());
            }

            // then it names them, and no collection was walked for it (the library reopened every database)
            assertThat(names).contains("city", "other");
            assertThat(scans(backend.metricsText())).isEqualTo(scans(before));
        }
        finally {
            server.shutdownNow();
        }
    }

    private static List<String> scans(String metrics) {
        return metrics.lines().filter(line -> line.startsWith("mongo_wire_store_scans_total")).toList();
    }
}
