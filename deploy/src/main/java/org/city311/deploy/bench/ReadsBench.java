package org.city311.deploy.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

/**
 * The hot reads staff wait on, asked of the services directly as the console asks them: a department's queue page,
 * a staff search page (everything, newest first, and a word in the description) and "my filings", by
 * {@code concurrency} clients in a closed loop for {@code seconds}. Prints p50/p95/p99 and bytes per read, how many
 * requests and work items are stored, and what the store did for them: documents read and collection walks per read
 * (from the local store's counters, over the whole run: anything else running is counted too). Asserts nothing.
 * <p>Usage: {@code ./bench.sh reads [--seconds 20] [--concurrency 4] [--department housing]}.
 */
public final class ReadsBench {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ReadsBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Options.parse(args, 0);
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "20"));
        int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "4"));
        String department = options.getOrDefault("department", "housing");
        String requestService = options.getOrDefault("request-service", "http://127.0.0.1:8081");
        String routingService = options.getOrDefault("routing-service", "http://127.0.0.1:8082");
        String storeMetrics = options.getOrDefault("store-metrics", "http://127.0.0.1:9216/metrics");
        Properties tokens = new Properties();
        try (var reader = Files.newBufferedReader(Path.of(options.getOrDefault("tokens", "var/dev-tokens.env")))) {
            tokens.load(reader);
        }
        String staff = tokens.getProperty("STAFF_TOKEN");
        String agent = tokens.getProperty("AGENT_TOKEN_" + department.toUpperCase().replace('-', '_'));
        if (staff == null || agent == null) {
            throw new IllegalArgumentException("var/dev-tokens.env lacks STAFF_TOKEN or the agent token of '"
                    + department + "': start ./run.sh first");
        }
        Map<String, HttpRequest> reads = new LinkedHashMap<>();
        reads.put("queue page (" + department + ", 50)", get(routingService + "/api/departments/" + department
                + "/queue?limit=50", agent));
        reads.put("search page (all, newest first)", get(requestService + "/api/requests?limit=25", staff));
        reads.put("search page (q=pothole)", get(requestService + "/api/requests?limit=25&q=pothole", staff));
        reads.put("my filings (staff.local)", get(requestService + "/api/requests?limit=25&filedBy=staff.local",
                staff));

        String stored;
        try (MongoClient mongo = MongoClients.create(options.getOrDefault("mongodb-uri",
                "mongodb://127.0.0.1:27017"))) {
            stored = String.format("%,d requests and %,d work items stored, %s open in %s",
                    mongo.getDatabase("city311_requests").getCollection("requests").estimatedDocumentCount(),
                    mongo.getDatabase("city311_routing").getCollection("work").estimatedDocumentCount(),
                    openWork(routingService, department, agent), department);
        }
        for (HttpRequest read : reads.values()) {
            send(read);
        }
        Map<String, Long> storeBefore = Window.storeCounters(storeMetrics);
        Map<String, ConcurrentLinkedQueue<Long>> latencies = new ConcurrentHashMap<>();
        Map<String, AtomicLong> bytes = new ConcurrentHashMap<>();
        AtomicLong errors = new AtomicLong();
        AtomicLong answered = new AtomicLong();
        List<Map.Entry<String, HttpRequest>> all = new ArrayList<>(reads.entrySet());
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        CountDownLatch done = new CountDownLatch(concurrency);
        for (int client = 0; client < concurrency; client++) {
            AtomicInteger next = new AtomicInteger(client);
            Thread thread = new Thread(() -> {
                try {
                    while (System.nanoTime() < end) {
                        Map.Entry<String, HttpRequest> read = all.get(next.getAndIncrement() % all.size());
                        long sent = System.nanoTime();
                        try {
                            HttpResponse<byte[]> response = send(read.getValue());
                            if (response.statusCode() == 200) {
                                latencies.computeIfAbsent(read.getKey(), key -> new ConcurrentLinkedQueue<>())
                                        .add((System.nanoTime() - sent) / 1000);
                                bytes.computeIfAbsent(read.getKey(), key -> new AtomicLong())
                                        .set(response.body().length);
                                answered.incrementAndGet();
                            }
                            else {
                                errors.incrementAndGet();
                            }
                        }
                        catch (IOException | InterruptedException failed) {
                            errors.incrementAndGet();
                        }
                    }
                }
                finally {
                    done.countDown();
                }
            }, "reads-bench");
            thread.setDaemon(true);
            thread.start();
        }
        done.await();
        Map<String, Long> storeAfter = Window.storeCounters(storeMetrics);

        System.out.printf("hot reads, %d clients, %d s, closed loop; %s; errors %d%n", concurrency, seconds, stored,
                errors.get());
        System.out.printf("%-34s %8s %9s %9s %9s %10s%n", "read", "answers", "p50 ms", "p95 ms", "p99 ms", "bytes");
        reads.keySet().forEach(name -> {
            long[] sorted = latencies.getOrDefault(name, new ConcurrentLinkedQueue<>()).stream()
                    .mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("%-34s %8d %9.1f %9.1f %9.1f %10d%n", name, sorted.length,
                    Report.percentileMillis(sorted, 50),
                    Report.percentileMillis(sorted, 95), Report.percentileMillis(sorted, 99),
                    bytes.getOrDefault(name, new AtomicLong()).get());
        });
        long answers = Math.max(1, answered.get());
        System.out.printf("store, per read: %.1f documents read (requests %.1f, work %.1f), %.2f collection walks%n",
                delta(storeBefore, storeAfter, "mongo_wire_store_documents_read_total", "") / (double) answers,
                delta(storeBefore, storeAfter, "mongo_wire_store_documents_read_total", "collection=\"requests\"")
                        / (double) answers,
                delta(storeBefore, storeAfter, "mongo_wire_store_documents_read_total", "collection=\"work\"")
                        / (double) answers,
                delta(storeBefore, storeAfter, "mongo_wire_store_scans_total", "") / (double) answers);
    }

    private static long delta(Map<String, Long> before, Map<String, Long> after, String series, String having) {
        long sum = 0;
        for (Map.Entry<String, Long> counter : after.entrySet()) {
            if (counter.getKey().startsWith(series + "{") && counter.getKey().contains(having)) {
                sum += counter.getValue() - before.getOrDefault(counter.getKey(), 0L);
            }
        }
        return sum;
    }

    private static HttpRequest get(String url, String token) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json").GET().build();
    }

    private static HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String openWork(String routingService, String department, String token)
            throws IOException, InterruptedException {
        String body = new String(send(get(routingService + "/api/departments/" + department + "/queue/counts",
                token)).body(), java.nio.charset.StandardCharsets.UTF_8);
        var matcher = java.util.regex.Pattern.compile("\"all\"\\s*:\\s*(\\d+)").matcher(body);
        return matcher.find() ? matcher.group(1) : "?";
    }
}
