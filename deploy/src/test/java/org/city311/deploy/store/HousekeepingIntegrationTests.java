package org.city311.deploy.store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import de.bwaldvogel.mongo.MongoServer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local store's housekeeping (rewriting the file's partly used chunks) after a load: it works while clients
 * write, and stops once they stop, instead of rewriting the chunks its own rounds left behind.
 */
class HousekeepingIntegrationTests {

    private static final int DOCUMENTS = 2_000;

    @TempDir
    Path work;

    /** Every fourth document changed three times, each change a write of its own. */
    private static void changeEveryFourth(MongoCollection<Document> items) {
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < DOCUMENTS; i += 4) {
                items.updateOne(Filters.eq("_id", "311-" + i), Updates.inc("version", 1));
            }
        }
    }

    @Test
    void shouldRewriteChunksAfterClientsWroteAndRestOnceTheyStop() {
        String file = work.resolve("store.mv").toString();
        // its own rounds an hour apart: the test runs them
        LocalStoreBackend backend = new LocalStoreBackend(file, 3_600);
        // chunks are rewritten once older than the retention time (45 s): none here
        backend.getMvStore().setRetentionTime(0);
        MongoServer server = new MongoServer(backend);
        try (MongoClient client = MongoClients.create(server.bindAndGetConnectionString())) {
            MongoCollection<Document> items = client.getDatabase("city").getCollection("work");
            // given a load that left the file's chunks partly out of date: documents inserted, then changed
            List<Document> documents = new ArrayList<>();
            for (int i = 0; i < DOCUMENTS; i++) {
                documents.add(new Document("_id", "311-" + i).append("notes", "x".repeat(1_500)).append("version", 0));
            }
            items.insertMany(documents);
            changeEveryFourth(items);

            // when housekeeping comes round again and again with no client writing
            List<Boolean> rounds = new ArrayList<>();
            for (int round = 0; round < 10; round++) {
                rounds.add(backend.compact());
            }

            // then it rewrote chunks after the load, and then rested
            assertThat(rounds.get(0)).as("the first round after the load rewrote chunks").isTrue();
            assertThat(rounds.subList(1, rounds.size())).as("the rounds that followed only housekeeping")
                    .containsOnly(false);
            // and every document is whole, with each change
            assertThat(items.countDocuments()).isEqualTo(DOCUMENTS);
            assertThat(items.find(Filters.eq("_id", "311-4")).first().getInteger("version")).isEqualTo(3);
            assertThat(items.find(Filters.eq("_id", "311-5")).first().getString("notes")).hasSize(1_500);

            // and the next load's writes set it to work again
            changeEveryFourth(items);
            assertThat(backend.compact()).as("the round after the next load").isTrue();
            assertThat(items.find(Filters.eq("_id", "311-4")).first().getInteger("version")).isEqualTo(6);
        }
        finally {
            server.shutdownNow();
        }
    }
}
