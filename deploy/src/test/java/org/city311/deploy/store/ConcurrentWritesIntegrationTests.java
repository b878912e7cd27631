package org.city311.deploy.store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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
 * Writes to the same documents from many clients at once, each acknowledged after a commit: mongo-java-server
 * changes a stored document in place, so a commit that wrote the file while another write was under way read a
 * document half changed (and with BSON, failed, taking every waiting write with it).
 */
class ConcurrentWritesIntegrationTests {

    private static final int DOCUMENTS = 20;
    private static final int ROUNDS = 100;
    /** Large documents: each update changes them for longer, and each commit reads them for longer. */
    private static final int FIELDS = 2_000;

    @TempDir
    Path work;

    @Test
    void shouldAcknowledgeEveryConcurrentUpdateAndKeepEveryDocumentWholeAcrossARestart() throws Exception {
        String file = work.resolve("store.mv").toString();
        MongoServer server = new MongoServer(new LocalStoreBackend(file));
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try (MongoClient client = MongoClients.create(server.bindAndGetConnectionString())) {
            MongoCollection<Document> items = client.getDatabase("city").getCollection("work");
            List<Document> documents = new ArrayList<>();
            for (int i = 0; i < DOCUMENTS; i++) {
                Document document = new Document("_id", "311-" + i).append("version", 0);
                for (int field = 0; field < FIELDS; field++) {
                    document.append("field" + field, "value " + field);
                }
                documents.add(document);
            }
            items.insertMany(documents);

            // when eight clients update the same twenty documents 800 times in all, each update committed
            List<Future<?>> writes = new ArrayList<>();
            for (int writer = 0; writer < 8; writer++) {
                writes.add(clients.submit(() -> {
                    for (int round = 0; round < ROUNDS; round++) {
                        String id = "311-" + (round % DOCUMENTS);
                        // a field removed and another added: the document's map changes shape, as an outbox
                        // entry's removal or a note's addition changes it
                        items.updateOne(Filters.eq("_id", id), Updates.combine(Updates.inc("version", 1),
                                Updates.set("field" + (round % FIELDS), "changed " + round),
                                Updates.unset("latest" + (round % 2)), Updates.set("latest" + (1 - round % 2), round)));
                    }
                    return null;
                }));
            }
            // then every one is acknowledged (a failed commit fails the writes waiting on it)
            for (Future<?> write : writes) {
                write.get(2, TimeUnit.MINUTES);
            }
        }
        finally {
            clients.shutdownNow();
            server.shutdownNow();
        }

        // and after a restart every document has every field, and every update counted
        MongoServer again = new MongoServer(new LocalStoreBackend(file));
        try (MongoClient client = MongoClients.create(again.bindAndGetConnectionString())) {
            List<Document> stored = client.getDatabase("city").getCollection("work").find()
                    .into(new ArrayList<>());
            assertThat(stored).hasSize(DOCUMENTS).allSatisfy(document -> assertThat(document).hasSize(FIELDS + 3));
            assertThat(stored.stream().mapToInt(document -> document.getInteger("version")).sum()).isEqualTo(8 * ROUNDS);
        }
        finally {
            again.shutdownNow();
        }
    }
}
