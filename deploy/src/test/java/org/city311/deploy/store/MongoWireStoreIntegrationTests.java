package org.city311.deploy.store;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The local run's store, as the services' drivers and the bench see it. */
class MongoWireStoreIntegrationTests {

    @TempDir
    Path work;

    @Test
    void shouldCountEachCommandByDatabaseCollectionAndKindWithABulkWriteAsOne() {
        LocalStoreBackend backend = new LocalStoreBackend(work.resolve("store.mv").toString());
        MongoServer server = new MongoServer(backend);
        try (MongoClient client = MongoClients.create(server.bindAndGetConnectionString())) {
            MongoCollection<Document> things = client.getDatabase("city").getCollection("things");
            things.insertOne(new Document("_id", 1));
            List<Document> many = new ArrayList<>();
            for (int i = 2; i <= 11; i++) {
                many.add(new Document("_id", i));
            }
            things.insertMany(many);
            assertThat(things.find().into(new ArrayList<>())).hasSize(11);
            Document hello = client.getDatabase("admin").runCommand(new Document("hello", 1));

            assertThat(hello.getBoolean("isWritablePrimary")).isTrue();
            assertThat(backend.metricsText())
                    .contains("mongo_wire_store_commands_total{database=\"city\",collection=\"things\","
                            + "command=\"insert\"} 2\n")
                    .contains("mongo_wire_store_commands_total{database=\"city\",collection=\"things\","
                            + "command=\"find\"} 1\n")
                    .contains("mongo_wire_store_writes_total 2\n")
                    .doesNotContain("command=\"hello\"").doesNotContain("command=\"ismaster\"");
        } finally {
            server.shutdownNow();
        }
    }

    @Test
    void shouldKeepEveryAcknowledgedWriteWhenTheStoreIsKilledUnderLoadWhileCommittingInGroups() throws Exception {
        Path file = work.resolve("city311.mv");
        int port = freePort();
        int metricsPort = freePort();
        Process store = startStore(file, port, metricsPort);
        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        String metrics;
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + port
                + "/?serverSelectionTimeoutMS=2000&connectTimeoutMS=2000&socketTimeoutMS=2000")) {
            MongoCollection<Document> requests = client.getDatabase("requests").getCollection("requests");
            requests.createIndex(new Document("status", 1)); // declared, so that the restart below builds it
            AtomicBoolean writing = new AtomicBoolean(true);
            ExecutorService writers = Executors.newFixedThreadPool(12);
            for (int w = 0; w < 12; w++) {
                int writer = w;
                writers.submit(() -> {
                    for (int i = 0; writing.get(); i++) {
                        int id = writer * 1_000_000 + i;
                        try {
                            requests.insertOne(new Document("_id", id).append("status", "submitted"));
                        } catch (RuntimeException e) {
                            return; // the store died under this write: it was never acknowledged
                        }
                        acknowledged.add(id);
                    }
                });
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= 1_500);
            metrics = fetchMetrics(metricsPort);
            store.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no shutdown hook, no final commit
            writing.set(false);
            writers.shutdown();
            assertThat(writers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            store.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }

        Process restarted = startStore(file, port, 0);
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + port)) {
            Set<Integer> stored = ConcurrentHashMap.newKeySet();
            client.getDatabase("requests").getCollection("requests").find()
                    .forEach(document -> stored.add(document.getInteger("_id")));
            assertThat(stored).as("acknowledged writes after a SIGKILL").containsAll(acknowledged);
            // and the restarted store built the declared index at start, before any query asked for it
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    Files.readString(work.resolve("store-" + port + ".log"))).contains("Indexes built: 1 in"));
        } finally {
            restarted.destroy();
            restarted.waitFor(20, TimeUnit.SECONDS);
        }

        long writes = counter(metrics, "mongo_wire_store_writes_total");
        long commits = counter(metrics, "mongo_wire_store_commits_total");
        assertThat(commits).as("commits for %d writes from 12 writers", writes).isLessThan(writes);
    }

    private Process startStore(Path file, int port, int metricsPort) throws IOException {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), MongoWireStore.class.getName(),
                "--port", String.valueOf(port), "--metrics-port", String.valueOf(metricsPort),
                "--file", file.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("store-" + port + ".log").toFile()).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            assertThat(process.isAlive()).as("store process alive").isTrue();
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        return process;
    }

    private static String fetchMetrics(int port) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static long counter(String metrics, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + name + " (\\d+)$").matcher(metrics);
        assertThat(matcher.find()).as("%s in %s", name, metrics).isTrue();
        return Long.parseLong(matcher.group(1));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
