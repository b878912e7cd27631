package org.city311.deploy.store;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoServer;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code _id} index served by the documents map ({@link IdIndex}) and documents written as BSON
 * ({@link BsonDocumentType}): ids stay unique and findable as MongoDB keeps them, before and after a restart, and
 * every value reads back as it was written.
 */
class IdIndexIntegrationTests {

    private static final ObjectId FIRST = new ObjectId();
    private static final ObjectId SECOND = new ObjectId();

    @TempDir
    Path work;

    @Test
    void shouldKeepIdsOfEveryKindUniqueAndFindableAcrossARestartWithNoSecondEntryForAStringId() {
        String file = work.resolve("store.mv").toString();
        LocalStoreBackend backend = new LocalStoreBackend(file);
        MongoServer server = new MongoServer(backend);
        try (MongoClient client = MongoClients.create(server.bindAndGetConnectionString())) {
            MongoCollection<Document> items = client.getDatabase("city").getCollection("work");
            // given ids of every kind: the services' strings and ObjectIds, and numbers and documents
            List<Document> history = new ArrayList<>();
            for (int i = 1; i <= 100; i++) {
                history.add(item("311-" + i, i));
            }
            items.insertMany(history);
            items.insertMany(List.of(item(FIRST, 101), item(SECOND, 102), item(1, 103), item(2L, 104),
                    item(new Document("district", "north").append("n", 1), 105)));

            // then each is found, duplicates of each are refused, and the strings took no entry of their own
            assertIdsKept(items);
            assertThat(backend.getMvStore().openMap("city.work._index__id_").size())
                    .as("entries of the library's _id map: the number, the long and the document only").isEqualTo(3);

            // when one is removed, it may be used again; an upsert by a new id inserts it, by a known id updates it
            items.deleteOne(Filters.eq("_id", "311-5"));
            assertThat(items.find(Filters.eq("_id", "311-5")).first()).isNull();
            items.insertOne(item("311-5", 5));
            items.updateOne(Filters.eq("_id", "upserted-1"), Updates.set("sequence", 106), new UpdateOptions().upsert(true));
            items.updateOne(Filters.eq("_id", "upserted-1"), Updates.inc("sequence", 1), new UpdateOptions().upsert(true));
            items.replaceOne(Filters.eq("_id", FIRST), item(FIRST, 101).append("replaced", true),
                    new ReplaceOptions().upsert(true));
            assertThat(items.find(Filters.eq("_id", "upserted-1")).first().get("sequence")).isEqualTo(107);
            assertThat(items.countDocuments()).isEqualTo(106);
        }
        finally {
            server.shutdownNow();
        }

        // and after a restart, the same, with every value read back as written
        MongoServer again = new MongoServer(new LocalStoreBackend(file));
        try (MongoClient client = MongoClients.create(again.bindAndGetConnectionString())) {
            MongoCollection<Document> items = client.getDatabase("city").getCollection("work");
            assertIdsKept(items);
            assertThat(items.countDocuments()).isEqualTo(106);
            Document read = items.find(Filters.eq("_id", "311-7")).first();
            assertThat(read).isEqualTo(item("311-7", 7));
            assertThat(items.find(Filters.eq("_id", FIRST)).first().getBoolean("replaced")).isTrue();
        }
        finally {
            again.shutdownNow();
        }
    }

    private static void assertIdsKept(MongoCollection<Document> items) {
        for (Object id : List.of("311-1", "311-100", FIRST, SECOND, 1, 2L, new Document("district", "north")
                .append("n", 1))) {
            assertThat(items.find(Filters.eq("_id", id)).first()).as("found by its id %s", id).isNotNull();
            assertThatThrownBy(() -> items.insertOne(new Document("_id", id)))
                    .as("a second %s", id)
                    .isInstanceOfSatisfying(MongoWriteException.class, refused -> assertThat(refused.getCode())
                            .isEqualTo(11000));
        }
        // MongoDB compares numeric ids by value: 1.0 is the id 1, and 2 the id 2L
        for (Object sameNumber : List.of(1.0, 2)) {
            assertThatThrownBy(() -> items.insertOne(new Document("_id", sameNumber)))
                    .isInstanceOfSatisfying(MongoWriteException.class, refused -> assertThat(refused.getCode())
                            .isEqualTo(11000));
        }
        assertThat(items.find(Filters.in("_id", "311-2", "311-3", FIRST, 1, "311-none")).into(new ArrayList<>()))
                .hasSize(4);
        // 311-1, 311-10 to 311-19, 311-100
        assertThat(items.find(Filters.regex("_id", Pattern.compile("^311-1"))).into(new ArrayList<>())).hasSize(12);
    }

    private static Document item(Object id, int sequence) {
        return new Document("_id", id).append("sequence", sequence).append("department", "parks")
                .append("dueAt", java.util.Date.from(Instant.parse("2026-03-01T09:00:00Z")))
                .append("pausedSeconds", 3_600_000_000L).append("ratio", 0.25).append("open", true)
                .append("assignee", null)
                .append("notes", List.of(new Document("text", "on site").append("visibility", "internal"), "plain"))
                .append("address", new Document("street", "Main St").append("number", 12));
    }
}
