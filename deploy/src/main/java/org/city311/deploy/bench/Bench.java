package org.city311.deploy.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bson.Document;

/**
 * Throughput benchmarks against the local run ({@code ./run.sh}), printed as figures; never timed assertions.
 * <ul>
 * <li>{@code intake}: requests/s and latency percentiles of staff {@code POST /api/requests} and Open311
 * {@code POST requests.json}, and, in the same run, the store's own insert ceiling, since on these small machines
 * the embedded store bounds intake and absolute figures say little.</li>
 * <li>{@code routing}: request-created events put on {@code city311.requests} (as request-service would) and the
 * time until routing-service has published request-routed for every one.</li>
 * </ul>
 * Both leave real requests in the local run's data.
 */
public final class Bench {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        String what = args.length > 0 ? args[0] : "";
        switch (what) {
            case "intake" -> intake(options);
            case "routing" -> routing(options);
            default -> {
                System.err.println("usage: bench intake [--seconds 20] [--concurrency 16] | routing [--events 5000]");
                System.exit(2);
            }
        }
    }

    private static void intake(Map<String, String> options) throws Exception {
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "20"));
        int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "16"));
        String requestService = options.getOrDefault("request-service", "http://127.0.0.1:8081");
        String apiKey = options.get("api-key");
        String token = options.get("token");
        if (token == null) {
            throw new IllegalArgumentException("--token: a staff bearer token (./bench.sh passes STAFF_TOKEN from "
                    + "var/dev-tokens.env)");
        }
        String mongoUri = options.getOrDefault("mongodb-uri", "mongodb://127.0.0.1:27017");

        warmUp(requestService, token);
        Result staff = load("POST /api/requests", seconds, concurrency, worker -> HttpRequest
                .newBuilder(URI.create(requestService + "/api/requests"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"serviceCode": "other", "channel": "phone",
                         "description": "Benchmark request from worker %d: music too loud next door",
                         "location": {"address": "1 Centre St", "latitude": %s, "longitude": %s}}
                        """.formatted(worker, latitude(), longitude())))
                .build(), 201);
        Result open311 = apiKey == null ? null : load("POST /open311/v2/requests.json", seconds, concurrency,
                worker -> HttpRequest.newBuilder(URI.create(requestService + "/open311/v2/requests.json"))
                        .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                        .POST(HttpRequest.BodyPublishers.ofString("api_key=" + apiKey + "&service_code=other"
                                + "&lat=" + latitude() + "&long=" + longitude()
                                + "&description=Benchmark+request+from+an+Open311+client"))
                        .build(), 200);
        double ceiling = storeCeiling(mongoUri, seconds, concurrency);

        System.out.printf("%nIntake on the local run, %d s each, %d concurrent clients%n", seconds, concurrency);
        System.out.printf("%-34s %10s %9s %9s %9s %8s%n", "", "requests/s", "p50 ms", "p99 ms", "errors", "vs store");
        for (Result result : new Result[] { staff, open311 }) {
            if (result != null) {
                System.out.printf("%-34s %10.0f %9.1f %9.1f %9d %7.0f%%%n", result.name(), result.perSecond(),
                        result.percentile(50), result.percentile(99), result.errors(),
                        100 * result.perSecond() / ceiling);
            }
        }
        System.out.printf("%-34s %10.0f%n", "store ceiling (plain inserts)", ceiling);
        if (open311 == null) {
            System.out.println("(Open311 skipped: pass --api-key, or run ./bench.sh, which reads var/dev-tokens.env)");
        }
    }

    /** Spread over the city, as real reports are: a single spot would make every request a duplicate of all. */
    private static String latitude() {
        return String.format(java.util.Locale.ROOT, "%.5f", 40.60 + java.util.concurrent.ThreadLocalRandom.current().nextDouble(0.25));
    }

    private static String longitude() {
        return String.format(java.util.Locale.ROOT, "%.5f", -74.02 + java.util.concurrent.ThreadLocalRandom.current().nextDouble(0.15));
    }

    private static void warmUp(String requestService, String token) throws Exception {
        for (int i = 0; i < 200; i++) {
            HTTP.send(HttpRequest.newBuilder(URI.create(requestService + "/api/requests?limit=1"))
                            .header("Authorization", "Bearer " + token).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
        }
    }

    private record Result(String name, long count, long errors, double seconds, long[] latenciesMicros) {

        double perSecond() {
            return count / seconds;
        }

        double percentile(int p) {
            if (latenciesMicros.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.ceil(p / 100.0 * latenciesMicros.length) - 1;
            return latenciesMicros[Math.max(0, index)] / 1000.0;
        }
    }

    /** Closed loop: each client sends its next request when the previous answer arrived. */
    private static Result load(String name, int seconds, int concurrency, IntFunction<HttpRequest> request,
            int expectedStatus) throws InterruptedException {
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(seconds).toNanos();
        CountDownLatch done = new CountDownLatch(concurrency);
        for (int worker = 0; worker < concurrency; worker++) {
            int id = worker;
            start(() -> {
                try {
                    while (System.nanoTime() < end) {
                        long sent = System.nanoTime();
                        try {
                            HttpResponse<Void> response = HTTP.send(request.apply(id),
                                    HttpResponse.BodyHandlers.discarding());
                            if (response.statusCode() == expectedStatus) {
                                latencies.add((System.nanoTime() - sent) / 1000);
                            }
                            else {
                                errors.incrementAndGet();
                            }
                        }
                        catch (Exception ex) {
                            errors.incrementAndGet();
                        }
                    }
                }
                finally {
                    done.countDown();
                }
            });
        }
        done.await();
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Result(name, sorted.length, errors.get(), elapsed, sorted);
    }

    /** Plain single-document inserts of a request-sized document, as many clients as the HTTP load had. */
    private static double storeCeiling(String mongoUri, int seconds, int concurrency) throws InterruptedException {
        String database = "bench_ceiling_" + UUID.randomUUID().toString().substring(0, 8);
        try (MongoClient client = MongoClients.create(mongoUri)) {
            MongoCollection<Document> collection = client.getDatabase(database).getCollection("requests");
            AtomicLong inserted = new AtomicLong();
            long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            long start = System.nanoTime();
            CountDownLatch done = new CountDownLatch(concurrency);
            for (int worker = 0; worker < concurrency; worker++) {
                start(() -> {
                    try {
                        while (System.nanoTime() < end) {
                            collection.insertOne(new Document("serviceCode", "other")
                                    .append("description", "Benchmark request: music too loud next door")
                                    .append("status", "SUBMITTED").append("submittedAt", new java.util.Date())
                                    .append("history", List.of(new Document("status", "SUBMITTED")))
                                    .append("outbox", List.of(new Document("payload", "x".repeat(600)))));
                            inserted.incrementAndGet();
                        }
                    }
                    finally {
                        done.countDown();
                    }
                });
            }
            done.await();
            double elapsed = (System.nanoTime() - start) / 1e9;
            client.getDatabase(database).drop();
            return inserted.get() / elapsed;
        }
    }

    private static void routing(Map<String, String> options) {
        int events = Integer.parseInt(options.getOrDefault("events", "5000"));
        String brokers = options.getOrDefault("kafka", "127.0.0.1:9092");
        String run = Long.toString(System.currentTimeMillis(), 36);
        Set<String> waiting = Collections.synchronizedSet(new HashSet<>());
        Map<String, Instant> createdAt = new HashMap<>();
        Properties consumerConfig = new Properties();
        consumerConfig.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-" + run,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
        Properties producerConfig = new Properties();
        producerConfig.putAll(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, "5",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
        Pattern routedAt = Pattern.compile("\"routedAt\"\\s*:\\s*\"([^\"]+)\"");
        List<Long> latenciesMillis = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig);
                KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig)) {
            consumer.subscribe(List.of("city311.routing"));
            while (consumer.assignment().isEmpty()) {
                consumer.poll(Duration.ofMillis(200));
            }
            consumer.seekToEnd(consumer.assignment());
            consumer.assignment().forEach(consumer::position);
            long start = System.nanoTime();
            for (int i = 0; i < events; i++) {
                String id = "bench-" + run + "-" + i;
                Instant now = Instant.now();
                waiting.add(id);
                createdAt.put(id, now);
                ProducerRecord<String, String> record = new ProducerRecord<>("city311.requests", id, """
                        {"specversion":"1.0","id":"%s","source":"/city311/bench","type":"city311.request.created.v1",
                         "subject":"%s","time":"%s","datacontenttype":"application/json",
                         "data":{"requestId":"%s","serviceCode":"%s","channel":"phone","segment":"resident",
                                 "description":"Benchmark request","submittedAt":"%s"}}
                        """.formatted(UUID.randomUUID(), id, now, id, i % 2 == 0 ? "pothole" : "rodents", now));
                record.headers().add("content-type",
                        "application/cloudevents+json; charset=UTF-8".getBytes(StandardCharsets.UTF_8));
                producer.send(record);
            }
            producer.flush();
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (!waiting.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value().contains("city311.request.routed.v1") && waiting.remove(record.key())) {
                        Matcher matcher = routedAt.matcher(record.value());
                        if (matcher.find()) {
                            latenciesMillis.add(Duration.between(createdAt.get(record.key()),
                                    Instant.parse(matcher.group(1))).toMillis());
                        }
                    }
                }
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            Collections.sort(latenciesMillis);
            System.out.printf("%nRouting on the local run: %d request-created events%n", events);
            System.out.printf("routed %d of %d in %.1f s: %.0f events/s%n", events - waiting.size(), events, elapsed,
                    (events - waiting.size()) / elapsed);
            if (!latenciesMillis.isEmpty()) {
                System.out.printf("created -> routed: p50 %d ms, p99 %d ms%n",
                        latenciesMillis.get(latenciesMillis.size() / 2),
                        latenciesMillis.get(Math.max(0, (int) Math.ceil(0.99 * latenciesMillis.size()) - 1)));
            }
        }
        removeGroup(brokers, "bench-" + run);
    }

    /** Bench tools remove what they create: a consumer group left behind shows up in lag and fault checks. */
    private static void removeGroup(String brokers, String group) {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            admin.deleteConsumerGroups(List.of(group)).all().get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        catch (Exception e) {
            System.err.println("Could not remove the bench's consumer group " + group + ": " + e.getMessage());
        }
    }

    private static void start(Runnable client) {
        Thread thread = new Thread(client, "bench-client");
        thread.setDaemon(true);
        thread.start();
    }

    private static Map<String, String> options(String[] args) {
        return Options.parse(args, 1);
    }
}
