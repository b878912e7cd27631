package org.city311.deploy.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The same machine's ceilings, measured in the same run as the figures they are compared with (on two shared cores,
 * absolute figures from another moment say little): Kafka's own producer, and a bare app doing the least any intake
 * must do — parse the body, insert one document into the same store, send one Kafka record — over HTTP.
 * Both remove what they create.
 */
final class Ceilings {

    private static final Duration EACH = Duration.ofSeconds(10);
    private static final int CLIENTS = 16;
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private Ceilings() {
    }

    /** Records or requests per second. */
    record Figures(double kafkaProducerPerSecond, double bareAppPerSecond) {
    }

    static Figures measure(String kafka, String mongoUri, String run) throws Exception {
        String topic = "bench-ceiling-" + run;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
            try (KafkaProducer<String, String> producer = producer(kafka)) {
                double producerRate = kafkaProducer(producer, topic);
                double bareRate = bareApp(producer, topic, mongoUri, run);
                return new Figures(producerRate, bareRate);
            }
            finally {
                admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static double kafkaProducer(KafkaProducer<String, String> producer, String topic)
            throws InterruptedException {
        String payload = "x".repeat(1000);
        AtomicLong acknowledged = new AtomicLong();
        long start = System.nanoTime();
        long end = start + EACH.toNanos();
        int i = 0;
        while (System.nanoTime() < end) {
            producer.send(new ProducerRecord<>(topic, "key-" + (i++ % 1000), payload), (metadata, failure) -> {
                if (failure == null) {
                    acknowledged.incrementAndGet();
                }
            });
        }
        producer.flush();
        return acknowledged.get() / ((System.nanoTime() - start) / 1e9);
    }

    private static double bareApp(KafkaProducer<String, String> producer, String topic, String mongoUri, String run)
            throws Exception {
        String database = "bench_ceiling_" + run;
        ExecutorService workers = Executors.newFixedThreadPool(CLIENTS, StormBench.daemon("bare-app"));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        try (MongoClient client = MongoClients.create(mongoUri)) {
            MongoCollection<Document> requests = client.getDatabase(database).getCollection("requests");
            server.setExecutor(workers);
            server.createContext("/api/requests", exchange -> {
                try (InputStream in = exchange.getRequestBody()) {
                    JsonNode body = JSON.readTree(in.readAllBytes());
                    String id = UUID.randomUUID().toString();
                    String event = "{\"type\":\"city311.request.created.v1\",\"data\":" + body + "}";
                    requests.insertOne(new Document("_id", id).append("serviceCode", body.path("serviceCode")
                            .asString()).append("status", "submitted").append("outbox", List.of(event)));
                    producer.send(new ProducerRecord<>(topic, id, event)).get(30, TimeUnit.SECONDS);
                    byte[] answer = ("{\"requestId\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(201, answer.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(answer);
                    }
                }
                catch (Exception e) {
                    exchange.sendResponseHeaders(500, -1);
                    exchange.close();
                }
            });
            server.start();
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/requests");
            HttpClient http = HttpClient.newHttpClient();
            AtomicLong answered = new AtomicLong();
            CountDownLatch done = new CountDownLatch(CLIENTS);
            long start = System.nanoTime();
            long end = start + EACH.toNanos();
            for (int c = 0; c < CLIENTS; c++) {
                Thread thread = new Thread(() -> {
                    try {
                        while (System.nanoTime() < end) {
                            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString("""
                                            {"serviceCode":"noise-residential","channel":"phone",
                                             "description":"Storm bench ceiling: music too loud next door",
                                             "location":{"address":"1 Centre St","latitude":40.7,"longitude":-74.0}}
                                            """)).build(), HttpResponse.BodyHandlers.discarding());
                            if (response.statusCode() == 201) {
                                answered.incrementAndGet();
                            }
                        }
                    }
                    catch (IOException e) {
                        // counted as not answered
                    }
                    catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    finally {
                        done.countDown();
                    }
                }, "bare-app-client");
                thread.setDaemon(true);
                thread.start();
            }
            done.await();
            double rate = answered.get() / ((System.nanoTime() - start) / 1e9);
            client.getDatabase(database).drop();
            return rate;
        }
        finally {
            server.stop(0);
            workers.shutdownNow();
        }
    }

    private static KafkaProducer<String, String> producer(String kafka) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
    }
}
