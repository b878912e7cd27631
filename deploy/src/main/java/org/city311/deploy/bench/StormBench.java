package org.city311.deploy.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import org.city311.contracts.AttributeDatatype;

/**
 * A storm day of a city of New York's size, replayed against the local run at a fixed rate: NYC 311's published mix
 * of agencies and channels mapped onto the sample city's services, departments accepting and resolving a share of
 * what reaches them, residents answering surveys. Prints, from one run: the sustained end-to-end throughput (filed
 * → routed → counted by metrics-service) and whether the backlog grew, created → routed latency, store commands per
 * filed request (from the local store's counters), each process's CPU and memory, and the same machine's ceilings
 * measured in the same run ({@link Ceilings}). Writes a markdown table and a PNG chart under {@code bench-results/}.
 *
 * <p>Usage: {@code ./bench.sh storm [--rate 50] [--requests 41000] [--warmup 60] [--seed 1] [--ceilings true]}.
 * It leaves its requests in the local run's data and removes its Kafka consumer group.
 */
public final class StormBench {

    /** NYC 311's agencies, as shares of a year's service requests, mapped onto the sample city's departments. */
    static final Map<String, Integer> DEPARTMENT_MIX = mix("police", 26, "housing", 26, "transportation", 13,
            "sanitation", 8, "environmental-protection", 8, "buildings", 5, "parks", 5, "health", 3,
            "social-services", 3, "consumer-protection", 3);
    /** Its channels: phone and the other staff-filed ones through the staff API, online and mobile through Open311. */
    static final Map<String, Integer> CHANNEL_MIX = mix("phone", 50, "web", 18, "mobile", 8, "email", 12,
            "walk_in", 12);
    /** routing-service's work actions, under {@code /{requestId}/accept} and so on. */
    private static final String WORK_API = "/api/work";
    static final double ACCEPTED_SHARE = 0.7;
    static final double RESOLVED_SHARE_OF_ACCEPTED = 0.6;
    static final double SURVEYED_SHARE_OF_RESOLVED = 0.3;

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Pattern REQUEST_ID = Pattern.compile("\"(?:id|service_request_id)\"\\s*:\\s*\"([^\"]+)\"");

    private final Settings settings;
    private final Map<String, String> tokens;
    private final HttpClient http;
    private final java.util.concurrent.ScheduledExecutorService actions = Executors.newScheduledThreadPool(4,
            daemon("storm-department"));
    private final Random random;
    private final List<Service> services = new ArrayList<>();
    private final Map<String, Long> filedAt = new ConcurrentHashMap<>();
    private final Map<String, Boolean> routed = new ConcurrentHashMap<>();
    /** Routed events that arrived before the answer to their filing did: matched when it comes. */
    private final Map<String, Routed> routedEarly = new ConcurrentHashMap<>();
    private final AtomicLong identified = new AtomicLong();
    /** Each routed request's filing time (seconds from the start) and its latency to routed, in milliseconds. */
    private final List<double[]> routeLatencies = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile long startNanos;
    private final AtomicLong filed = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final Map<Integer, AtomicLong> refusedByStatus = new ConcurrentHashMap<>();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong resolved = new AtomicLong();
    private final AtomicLong surveyed = new AtomicLong();
    private final AtomicLong actionFailures = new AtomicLong();
    private final AtomicBoolean consuming = new AtomicBoolean(true);
    private final Map<String, AtomicLong> actionFailuresByKind = new ConcurrentHashMap<>();
    private volatile String refusedSample;

    record Settings(double rate, int requests, int warmupSeconds, int drainSeconds, long seed, boolean ceilings,
            String requestService, String routingService, String feedbackService, String metricsService,
            String storeMetrics, String kafka, String mongoUri, Path tokensFile, Path results) {

        static Settings of(Map<String, String> options) {
            return new Settings(Double.parseDouble(options.getOrDefault("rate", "50")),
                    Integer.parseInt(options.getOrDefault("requests", "41000")),
                    Integer.parseInt(options.getOrDefault("warmup", "60")),
                    Integer.parseInt(options.getOrDefault("drain", "600")),
                    Long.parseLong(options.getOrDefault("seed", "1")),
                    Boolean.parseBoolean(options.getOrDefault("ceilings", "true")),
                    options.getOrDefault("request-service", "http://127.0.0.1:8081"),
                    options.getOrDefault("routing-service", "http://127.0.0.1:8082"),
                    options.getOrDefault("feedback-service", "http://127.0.0.1:8083"),
                    options.getOrDefault("metrics-service", "http://127.0.0.1:8084"),
                    options.getOrDefault("store-metrics", "http://127.0.0.1:9216/metrics"),
                    options.getOrDefault("kafka", "127.0.0.1:9092"),
                    options.getOrDefault("mongodb-uri", "mongodb://127.0.0.1:27017"),
                    Path.of(options.getOrDefault("tokens", "var/dev-tokens.env")),
                    Path.of(options.getOrDefault("results", "bench-results")));
        }
    }

    /** A service of the catalog with answers to its required questions, as the staff API and Open311 take them. */
    record Service(String code, String department, Map<String, Object> answers) {
    }

    record Routed(long nanos, String department) {
    }

    /** One second of the run: totals so far. */
    record Sample(double second, long filed, long identified, long routed, long counted) {
    }

    StormBench(Settings settings, Map<String, String> tokens) {
        this.settings = settings;
        this.tokens = tokens;
        this.random = new Random(settings.seed());
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newFixedThreadPool(8, daemon("storm-http"))).build();
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.of(Options.parse(args, 0));
        Map<String, String> tokens = readTokens(settings.tokensFile());
        new StormBench(settings, tokens).run();
        System.exit(0);
    }

    void run() throws Exception {
        loadCatalog();
        String run = Long.toString(System.currentTimeMillis(), 36);
        String group = "bench-storm-" + run;
        long baselineCounted = countedByMetrics();
        Thread consumer = new Thread(() -> consumeRouting(group), "storm-routing-consumer");
        consumer.setDaemon(true);
        consumer.start();
        waitForAssignment();

        List<Sample> samples = java.util.Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        startNanos = start;
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> sample(samples, start, baselineCounted, sampling), "storm-sampler");
        sampler.setDaemon(true);
        sampler.start();

        int warmupRequests = (int) Math.min(settings.requests() / 4, settings.rate() * settings.warmupSeconds());
        System.out.printf("Storm: %,d requests at %.0f/s (%d s; the first %,d warm up), mix of NYC 311's agencies and "
                + "channels%n", settings.requests(), settings.rate(), (int) (settings.requests() / settings.rate()),
                warmupRequests);
        Semaphore inFlight = new Semaphore(512);
        Window window = null;
        long interval = (long) (1e9 / settings.rate());
        for (int i = 0; i < settings.requests(); i++) {
            if (i == warmupRequests) {
                window = Window.open(settings.storeMetrics(), filed.get());
            }
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            inFlight.acquire();
            file(inFlight);
        }
        inFlight.acquire(512);
        inFlight.release(512);
        long filingEnded = System.nanoTime();
        Window.Closed steady = window == null ? null : window.close(settings.storeMetrics(), filed.get());
        long backlogAtEnd = filed.get() - (countedByMetrics() - baselineCounted);

        long drainDeadline = System.nanoTime() + Duration.ofSeconds(settings.drainSeconds()).toNanos();
        while ((routed.size() < identified.get() || countedByMetrics() - baselineCounted < filed.get())
                && System.nanoTime() < drainDeadline) {
            TimeUnit.MILLISECONDS.sleep(250);
        }
        long drained = System.nanoTime();
        TimeUnit.SECONDS.sleep(2); // the last department actions and surveys
        sampling.set(false);
        consumingStop(consumer, group);
        actions.shutdown();
        actions.awaitTermination(45, TimeUnit.SECONDS);

        Ceilings.Figures ceilings = settings.ceilings() ? Ceilings.measure(settings.kafka(), settings.mongoUri(), run)
                : null;
        Report report = new Report(settings, this, samples, steady, (filingEnded - start) / 1e9,
                (drained - filingEnded) / 1e9, backlogAtEnd, countedByMetrics() - baselineCounted, ceilings);
        report.write();
    }

    // --- filing ------------------------------------------------------------------------------------------

    private void file(Semaphore inFlight) {
        Service service = pick(services);
        String channel = pickWeighted(CHANNEL_MIX);
        HttpRequest request = "web".equals(channel) || "mobile".equals(channel) ? open311(service)
                : staff(service, channel);
        long sent = System.nanoTime();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
            inFlight.release();
            if (failure == null && (response.statusCode() == 201 || response.statusCode() == 200)) {
                Matcher id = REQUEST_ID.matcher(response.body());
                if (id.find()) {
                    filed.incrementAndGet();
                    identified.incrementAndGet();
                    filedAt.putIfAbsent(id.group(1), sent);
                    Routed early = routedEarly.remove(id.group(1));
                    if (early != null) {
                        onRouted(id.group(1), sent, early);
                    }
                    return;
                }
                if (response.body().contains("\"token\"")) {
                    filed.incrementAndGet(); // Open311's deferred answer: filed, its number given later
                    return;
                }
            }
            refused.incrementAndGet();
            if (failure == null && refusedSample == null) {
                refusedSample = response.statusCode() + " " + response.body();
            }
            refusedByStatus.computeIfAbsent(failure == null ? response.statusCode() : 0, k -> new AtomicLong())
                    .incrementAndGet();
        });
    }

    private HttpRequest staff(Service service, String channel) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("serviceCode", service.code());
        body.put("channel", channel);
        body.put("description", "Storm bench: " + service.code() + " reported by a resident");
        body.put("location", Map.of("address", (100 + random.nextInt(900)) + " Storm Ave",
                "latitude", 40.60 + random.nextDouble() * 0.25, "longitude", -74.02 + random.nextDouble() * 0.15));
        body.put("attributes", service.answers());
        return HttpRequest.newBuilder(URI.create(settings.requestService() + "/api/requests"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token("STAFF_TOKEN"))
                .POST(HttpRequest.BodyPublishers.ofString(json(body))).build();
    }

    private HttpRequest open311(Service service) {
        StringBuilder form = new StringBuilder("api_key=").append(encode(token("OPEN311_API_KEY")))
                .append("&service_code=").append(encode(service.code()))
                .append("&lat=").append(String.format(Locale.ROOT, "%.5f", 40.60 + random.nextDouble() * 0.25))
                .append("&long=").append(String.format(Locale.ROOT, "%.5f", -74.02 + random.nextDouble() * 0.15))
                .append("&description=").append(encode("Storm bench: reported from an app"));
        service.answers().forEach((code, value) -> {
            if (value instanceof List<?> values) {
                values.forEach(v -> form.append("&attribute[").append(encode(code)).append("][]=").append(encode(
                        String.valueOf(v))));
            }
            else {
                form.append("&attribute[").append(encode(code)).append("]=").append(encode(String.valueOf(value)));
            }
        });
        return HttpRequest.newBuilder(URI.create(settings.requestService() + "/open311/v2/requests.json"))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build();
    }

    // --- departments and residents ------------------------------------------------------------------------

    private void consumeRouting(String group) {
        Properties config = new Properties();
        config.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafka(),
                ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of("city311.routing"));
            while (consuming.get()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    assigned = true;
                    String value = record.value();
                    Long sent = filedAt.get(record.key());
                    if (value.contains("\"city311.request.routed.v1\"")) {
                        Routed now = new Routed(System.nanoTime(), field(value, "department"));
                        if (sent == null) {
                            routedEarly.put(record.key(), now); // or someone else's request: never matched
                        }
                        else {
                            onRouted(record.key(), sent, now);
                        }
                    }
                    else if (sent != null && value.contains("\"city311.request.resolved.v1\"")
                            && random.nextDouble() < SURVEYED_SHARE_OF_RESOLVED) {
                        // Residents answer a little later, once feedback-service has opened the survey.
                        boolean happy = random.nextDouble() < 0.7;
                        actions.schedule(() -> answerSurvey(record.key(), happy), 5, TimeUnit.SECONDS);
                    }
                }
                if (!consumer.assignment().isEmpty()) {
                    assigned = true;
                }
            }
        }
    }

    private void onRouted(String requestId, long sent, Routed event) {
        if (routed.putIfAbsent(requestId, Boolean.TRUE) != null) {
            return;
        }
        routedAfter((sent - startNanos) / 1e9, (event.nanos() - sent) / 1_000_000.0);
        if (event.department() != null && random.nextDouble() < ACCEPTED_SHARE) {
            boolean resolve = random.nextDouble() < RESOLVED_SHARE_OF_ACCEPTED;
            actions.schedule(() -> work(requestId, event.department(), resolve), 1, TimeUnit.SECONDS);
        }
    }

    private volatile boolean assigned;

    private void waitForAssignment() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!assigned && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private void consumingStop(Thread consumer, String group) throws InterruptedException {
        consuming.set(false);
        consumer.join(10_000);
        // Bench tools remove what they create: a group left behind would show up in lag alerts and fault checks.
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.kafka()))) {
            admin.deleteConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS);
        }
        catch (Exception e) {
            System.err.println("Could not remove the bench's consumer group " + group + ": " + e.getMessage());
        }
    }

    private void work(String requestId, String department, boolean resolve) {
        String agent = token("AGENT_TOKEN_" + department.toUpperCase(Locale.ROOT).replace('-', '_'));
        if (agent == null) {
            return;
        }
        if (post(settings.routingService() + WORK_API + "/" + requestId + "/accept", agent, "{}")) {
            accepted.incrementAndGet();
            if (resolve && post(settings.routingService() + WORK_API + "/" + requestId + "/resolve", agent,
                    "{\"resolutionCode\":\"fixed\",\"note\":\"Done during the storm\"}")) {
                resolved.incrementAndGet();
            }
        }
    }

    private void answerSurvey(String requestId, boolean happy) {
        answerSurvey(requestId, happy, true);
    }

    /** Once more half a minute later when feedback-service does not know the request yet (it lags in a storm). */
    private void answerSurvey(String requestId, boolean happy, boolean mayRetry) {
        String body = "{\"requestId\":\"%s\",\"satisfaction\":%d,\"source\":\"phone\",\"resolved\":%s}"
                .formatted(requestId, happy ? 5 : 2, happy);
        int status = send(settings.feedbackService() + "/api/feedback", token("STAFF_TOKEN"), body);
        if (status / 100 == 2) {
            surveyed.incrementAndGet();
        }
        else if (status == 404 && mayRetry) {
            actions.schedule(() -> answerSurvey(requestId, happy, false), 30, TimeUnit.SECONDS);
        }
        else {
            failed("feedback " + status);
        }
    }

    private boolean post(String url, String token, String body) {
        int status = send(url, token, body);
        if (status / 100 == 2) {
            return true;
        }
        failed(url.substring(url.lastIndexOf('/') + 1) + " " + status);
        return false;
    }

    /** The answer's status; 0 when none came. */
    private int send(String url, String token, String body) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        }
        catch (IOException e) {
            return 0;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private void failed(String kind) {
        actionFailures.incrementAndGet();
        actionFailuresByKind.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    }

    // --- measuring ----------------------------------------------------------------------------------------

    private void sample(List<Sample> samples, long start, long baselineCounted, AtomicBoolean sampling) {
        while (sampling.get()) {
            try {
                long counted = countedByMetrics() - baselineCounted;
                samples.add(new Sample((System.nanoTime() - start) / 1e9, filed.get(), identified.get(), routed.size(),
                        counted));
                TimeUnit.SECONDS.sleep(1);
            }
            catch (InterruptedException e) {
                return;
            }
            catch (RuntimeException e) {
                // metrics-service busy: the next second tells
            }
        }
    }

    /** Requests metrics-service has counted: the sum of {@code city311_requests_created_total} over its series. */
    long countedByMetrics() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(settings.metricsService()
                    + "/actuator/prometheus")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return (long) sum(response.body(), "city311_requests_created_total");
        }
        catch (IOException e) {
            throw new IllegalStateException("metrics-service did not answer: " + e.getMessage(), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static double sum(String prometheusText, String name) {
        double total = 0;
        for (String line : prometheusText.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    // --- catalog and helpers ------------------------------------------------------------------------------

    private void loadCatalog() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(settings.routingService()
                + "/api/catalog/services")).header("Authorization", "Bearer " + token("STAFF_TOKEN")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the catalog did not answer: " + response.statusCode());
        }
        for (JsonNode service : JSON.readTree(response.body())) {
            String department = service.path("department").asString();
            if (DEPARTMENT_MIX.containsKey(department)) {
                services.add(new Service(service.path("code").asString(), department,
                        answers(service.path("attributes"))));
            }
        }
        if (services.isEmpty()) {
            throw new IllegalStateException("no service of the mix's departments in the catalog");
        }
    }

    /** An answer to each required question, of its datatype. */
    static Map<String, Object> answers(JsonNode attributes) {
        Map<String, Object> answers = new LinkedHashMap<>();
        for (JsonNode attribute : attributes) {
            if (!attribute.path("required").asBoolean() || !attribute.path("variable").asBoolean(true)) {
                continue;
            }
            String code = attribute.path("code").asString();
            String firstValue = attribute.path("values").path(0).path("key").asString("");
            switch (AttributeDatatype.of(attribute.path("datatype").asString()).orElse(AttributeDatatype.STRING)) {
                case SINGLEVALUELIST -> answers.put(code, firstValue);
                case MULTIVALUELIST -> answers.put(code, List.of(firstValue));
                case NUMBER -> answers.put(code, 1);
                case DATETIME -> answers.put(code, "2026-12-01T08:00:00Z");
                case STRING, TEXT -> answers.put(code, "storm");
            }
        }
        return answers;
    }

    /** A service of a department drawn by the agencies' shares, then one of its services at random. */
    private Service pick(List<Service> all) {
        String department = pickWeighted(DEPARTMENT_MIX);
        List<Service> ofDepartment = all.stream().filter(s -> s.department().equals(department)).toList();
        List<Service> from = ofDepartment.isEmpty() ? all : ofDepartment;
        return from.get(random.nextInt(from.size()));
    }

    private String pickWeighted(Map<String, Integer> weights) {
        int total = weights.values().stream().mapToInt(Integer::intValue).sum();
        int draw = random.nextInt(total);
        for (Map.Entry<String, Integer> entry : weights.entrySet()) {
            draw -= entry.getValue();
            if (draw < 0) {
                return entry.getKey();
            }
        }
        throw new IllegalStateException("weights");
    }

    private static Map<String, Integer> mix(Object... pairs) {
        Map<String, Integer> mix = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            mix.put((String) pairs[i], (Integer) pairs[i + 1]);
        }
        return mix;
    }

    private String token(String name) {
        return tokens.get(name);
    }

    static Map<String, String> readTokens(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new IllegalStateException(file + " is missing: start ./run.sh first");
        }
        Map<String, String> tokens = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            int equals = line.indexOf('=');
            if (!line.startsWith("#") && equals > 0) {
                tokens.put(line.substring(0, equals).trim(), line.substring(equals + 1).trim());
            }
        }
        return tokens;
    }

    private static String field(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        return matcher.find() ? matcher.group(1) : null;
    }

    private static String json(Object value) {
        return JSON.writeValueAsString(value);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    // What the report reads.
    long filed() {
        return filed.get();
    }

    long refused() {
        return refused.get();
    }

    Map<Integer, AtomicLong> refusedByStatus() {
        return refusedByStatus;
    }

    long routed() {
        return routed.size();
    }

    long accepted() {
        return accepted.get();
    }

    long resolved() {
        return resolved.get();
    }

    long surveyed() {
        return surveyed.get();
    }

    long actionFailures() {
        return actionFailures.get();
    }

    Map<String, AtomicLong> actionFailuresByKind() {
        return actionFailuresByKind;
    }

    String refusedSample() {
        return refusedSample;
    }

    /** The latencies to routed of the requests filed from that second on, ascending. */
    List<Long> routeLatenciesMillis(double fromSecond) {
        synchronized (routeLatencies) {
            return routeLatencies.stream().filter(latency -> latency[0] >= fromSecond)
                    .map(latency -> (long) latency[1]).sorted().toList();
        }
    }

    /** Records a request filed that many seconds after the start, routed that many milliseconds after its filing. */
    void routedAfter(double filedSecond, double latencyMillis) {
        routeLatencies.add(new double[] { filedSecond, latencyMillis });
    }

    /** Each routed request's filing second (from the start) and latency to routed in milliseconds, in filing order. */
    List<double[]> routeLatencies() {
        synchronized (routeLatencies) {
            return routeLatencies.stream().map(double[]::clone)
                    .sorted(Comparator.comparingDouble(latency -> latency[0])).toList();
        }
    }

    static String timestamp() {
        return LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    }
}
