package org.city311.deploy.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A city's year folded by metrics-service's rebuild: a synthetic year of requests (the NYC mix of
 * {@link StormBench}; created, routed, mostly accepted, a note or two, sometimes transferred, mostly resolved,
 * sometimes reopened, a survey answered for some, closed) produced in time order into the three topics of a Kafka
 * broker of its own, then metrics-service's jar started with {@code METRICS_REBUILD=true} against that broker and a
 * Mongo-wire store of its own, timed from its start to its "Fold caught up" log line. Prints the events, the time,
 * events/s, metrics-service's peak resident memory and CPU, the store's commands, and checks that every request
 * was counted once (the service's counters and the stored ledgers against what was produced, no dead letters).
 *
 * <p>Usage: {@code ./bench.sh rebuild [--requests 3000000] [--partitions 3] [--heap 4g] [--store-heap 1g] [--seed 1] [--dir <tmp>]
 * [--jfr <folder>]}: with {@code --jfr}, the store and metrics-service each write a Flight Recorder profile of the
 * rebuild there ({@code jfr print --events jdk.ExecutionSample} reads it). Leaves the local run alone (free ports, its own data directory) and removes everything it created.
 */
public final class RebuildBench {

    private static final String REQUESTS = "city311.requests";
    private static final String ROUTING = "city311.routing";
    private static final String FEEDBACK = "city311.feedback";
    private static final long YEAR_MILLIS = Duration.ofDays(365).toMillis();
    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final Map<String, String> SERVICE_CODE = Map.of("police", "noise-residential", "housing",
            "heat-hot-water", "transportation", "pothole", "sanitation", "missed-collection",
            "environmental-protection", "water-leak", "buildings", "illegal-construction", "parks", "damaged-tree",
            "health", "rodents", "social-services", "homeless-assistance", "consumer-protection",
            "consumer-complaint");

    private final int requests;
    private final int partitions;
    private final String heap;
    private final String storeHeap;
    private final Random random;
    private final Path dir;
    /** Where the store and metrics-service write their Flight Recorder profiles; null for none. */
    private final Path profiles;
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private long producedEvents;
    private long producedResolutions;

    private RebuildBench(int requests, int partitions, String heap, String storeHeap, long seed, Path dir,
            Path profiles) {
        this.requests = requests;
        this.partitions = partitions;
        this.heap = heap;
        this.storeHeap = storeHeap;
        this.random = new Random(seed);
        this.dir = dir;
        this.profiles = profiles;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Options.parse(args, 0);
        int requests = Integer.parseInt(options.getOrDefault("requests", "3000000"));
        int partitions = Integer.parseInt(options.getOrDefault("partitions", "3"));
        Path parent = Path.of(options.getOrDefault("dir", System.getProperty("java.io.tmpdir")));
        // Kafka's lz4 segments and the store's file: about 1.5 KB a request together, with room to spare.
        long needed = requests * 3_000L;
        long usable = Files.getFileStore(parent).getUsableSpace();
        if (usable < needed) {
            System.err.printf("%s has %,d MB free; a rebuild of %,d requests needs about %,d MB: free some, or "
                    + "pass --dir or fewer --requests%n", parent, usable >> 20, requests, needed >> 20);
            System.exit(1);
        }
        Path dir = Files.createTempDirectory(parent, "city311-rebuild-bench-");
        // the local run gives the store 256m; it ran out of heap at 200,000 requests
        RebuildBench bench = new RebuildBench(requests, partitions, options.getOrDefault("heap", "4g"),
                options.getOrDefault("store-heap", "1g"),
                Long.parseLong(options.getOrDefault("seed", "1")), dir,
                options.containsKey("jfr") ? Files.createDirectories(Path.of(options.get("jfr"))) : null);
        Thread cleanup = new Thread(bench::cleanUp, "rebuild-bench-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            bench.run();
        }
        finally {
            bench.cleanUp();
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
    }

    private void run() throws Exception {
        int kafkaPort = freePort();
        int controllerPort = freePort();
        int storePort = freePort();
        int storeMetricsPort = freePort();
        int servicePort = freePort();
        String brokers = "127.0.0.1:" + kafkaPort;
        System.out.printf("Rebuild bench: %,d requests over a year, %d partitions, data in %s%n", requests,
                partitions, dir);

        Process kafka = startKafka(kafkaPort, controllerPort);
        Process store = start("mongo-store", List.of(java(), "-Xmx" + storeHeap, "-XX:+ExitOnOutOfMemoryError",
                profile("mongo-store"), "-Dlog4j2.level=WARN", "-cp", "deploy/target/deploy.jar:deploy/target/lib/*",
                "org.city311.deploy.store.MongoWireStore", "--host", "127.0.0.1", "--port",
                Integer.toString(storePort), "--metrics-port", Integer.toString(storeMetricsPort), "--file",
                dir.resolve("mongo/city311.mv").toString()), Map.of());
        waitForLine(dir.resolve("kafka.log"), "Kafka Server started", kafka, Duration.ofSeconds(90));

        long produceStarted = System.nanoTime();
        produce(brokers);
        double produceSeconds = (System.nanoTime() - produceStarted) / 1e9;
        System.out.printf("produced: %,d events of %,d requests in %.0f s (%,.0f events/s; Kafka's files %,d MB)%n",
                producedEvents, requests, produceSeconds, producedEvents / produceSeconds,
                size(dir.resolve("kafka")) >> 20);

        waitForLine(dir.resolve("mongo-store.log"), "Mongo-wire store ready", store, Duration.ofSeconds(30));
        Path keys = publicKey();
        long[] kafkaCpuBefore = cpu(kafka);
        long[] storeCpuBefore = cpu(store);
        long started = System.nanoTime();
        Process service = start("metrics-service", List.of(java(), "-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError",
                profile("metrics-service"), "-jar", "metrics-service/target/metrics-service.jar"), Map.of("SERVER_PORT",
                Integer.toString(servicePort), "KAFKA_BOOTSTRAP_SERVERS", brokers, "MONGODB_URI",
                "mongodb://127.0.0.1:" + storePort, "METRICS_REBUILD", "true", "KAFKA_PARTITIONS",
                Integer.toString(partitions), "JWT_PUBLIC_KEY_LOCATION", keys.toUri().toString()));
        String caughtUp = waitForCatchUp(List.of(service, store, kafka), brokers, started);
        double seconds = (System.nanoTime() - started) / 1e9;
        long[] serviceCpu = cpu(service);
        long peakRss = peakRssKb(service);
        long[] kafkaCpu = minus(cpu(kafka), kafkaCpuBefore);
        long[] storeCpu = minus(cpu(store), storeCpuBefore);

        System.out.println();
        System.out.printf("rebuild: %,d events in %.0f s = %,.0f events/s, %.1f minutes (from metrics-service's "
                + "start to \"%s\")%n", producedEvents, seconds, producedEvents / seconds, seconds / 60, caughtUp);
        System.out.printf("metrics-service: peak RSS %,d MB (-Xmx%s), CPU %.0f s; store CPU %.0f s; broker CPU "
                + "%.0f s (2 cores: %.0f core-seconds in all)%n", peakRss >> 10, heap, serviceCpu[0] / 100.0,
                storeCpu[0] / 100.0, kafkaCpu[0] / 100.0, 2 * seconds);
        String storeMetrics = get("http://127.0.0.1:" + storeMetricsPort + "/metrics");
        storeMetrics.lines().filter(line -> line.startsWith("mongo_wire_store_commands_total{database=\"city311_metrics\"")
                || line.startsWith("mongo_wire_store_writes_total") || line.startsWith("mongo_wire_store_commits_total")
                || line.startsWith("mongo_wire_store_scans_total{"))
                .forEach(line -> System.out.println("store: " + line));
        System.out.printf("store file: %,d MB%n", size(dir.resolve("mongo")) >> 20);
        try (Stream<String> lines = Files.lines(dir.resolve("metrics-service.log"), StandardCharsets.ISO_8859_1)) {
            lines.filter(line -> line.contains("Rebuild") || line.contains("Started MetricsServiceApplication"))
                    .forEach(line -> System.out.println("metrics-service: " + line.replaceFirst("^\\S+\\s+", "")));
        }
        check(brokers, servicePort, storePort);
    }

    // --- the synthetic year ------------------------------------------------------------------------------------

    /** An event due at {@code at}, rendered. */
    private record Pending(long at, long order, String topic, String key, byte[] body) {
    }

    /**
     * Produces the year in time order: each request's events are planned when it is filed and wait in a queue until
     * their time comes, so the topics read as a year of the city did (one request's events days apart, between
     * others').
     */
    private void produce(String brokers) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            admin.createTopics(Stream.of(REQUESTS, ROUTING, FEEDBACK)
                    .map(topic -> new NewTopic(topic, partitions, (short) 1)).toList()).all().get(60, TimeUnit.SECONDS);
        }
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(512 * 1024));
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(128L * 1024 * 1024));
        // a broker sharing a busy machine may take its time: wait rather than fail the bench
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(15 * 60 * 1000));
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(5 * 60 * 1000));
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        AtomicReference<Exception> failed = new AtomicReference<>();
        PriorityQueue<Pending> due = new PriorityQueue<>(Comparator.comparingLong(Pending::at)
                .thenComparingLong(Pending::order));
        long yearStart = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        long[] order = { 0 };
        long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
            for (int i = 0; i < requests; i++) {
                long filed = yearStart + (long) ((i + random.nextDouble()) * YEAR_MILLIS / requests);
                while (!due.isEmpty() && due.peek().at() <= filed) {
                    send(producer, due.poll(), failed);
                }
                plan(i, filed, pending -> due.add(new Pending(pending.at(), order[0]++, pending.topic(),
                        pending.key(), pending.body())));
                if (System.nanoTime() > nextReport) {
                    nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    System.out.printf("  producing: %,d of %,d requests filed, %,d events%n", i, requests,
                            producedEvents);
                }
            }
            while (!due.isEmpty()) {
                send(producer, due.poll(), failed);
            }
            producer.flush();
        }
        if (failed.get() != null) {
            throw new IllegalStateException("producing failed", failed.get());
        }
    }

    private void send(KafkaProducer<String, byte[]> producer, Pending pending, AtomicReference<Exception> failed) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(pending.topic(), pending.key(), pending.body());
        record.headers().add("content-type", "application/cloudevents+json; charset=UTF-8"
                .getBytes(StandardCharsets.UTF_8));
        producer.send(record, (metadata, exception) -> {
            if (exception != null) {
                failed.compareAndSet(null, exception);
            }
        });
        producedEvents++;
    }

    /** One request's events, each valid against its contract, in the order they happen. */
    private void plan(int index, long filed, java.util.function.Consumer<Pending> due) {
        String id = "311-" + (10_000_000 + index);
        String department = pick(StormBench.DEPARTMENT_MIX);
        String service = SERVICE_CODE.get(department);
        String channel = pick(StormBench.CHANNEL_MIX);
        String submitted = iso(filed);
        long firstActionDue = filed + 2 * DAY;
        long resolutionDue = filed + (3 + random.nextInt(12)) * DAY;
        due.accept(event(REQUESTS, "request-service", "city311.request.created.v1", id, filed,
                data(id, service).text("description", "Reported by a resident; nothing more to say here")
                        .text("channel", channel).text("segment", "resident").text("submittedAt", submitted)));
        long at = filed + 1_500;
        long sequence = 1;
        due.accept(event(ROUTING, "routing-service", "city311.request.routed.v1", id, at,
                data(id, service).text("department", department).text("rule", "service-owner")
                        .text("routedAt", iso(at)).number("sequence", sequence)
                        .text("firstActionDueAt", iso(firstActionDue)).text("resolutionDueAt", iso(resolutionDue))
                        .text("submittedAt", submitted).text("channel", channel).text("segment", "resident")));
        Long firstActionAt = null;
        if (random.nextDouble() < 0.85) {
            at += HOUR + (long) (random.nextDouble() * 47 * HOUR);
            firstActionAt = at;
            due.accept(event(ROUTING, "routing-service", "city311.request.accepted.v1", id, at,
                    data(id, service).text("department", department).text("status", "in_progress")
                            .text("agent", "agent-" + random.nextInt(40)).text("acceptedAt", iso(at))
                            .number("sequence", ++sequence).text("firstActionDueAt", iso(firstActionDue))));
        }
        for (int notes = random.nextInt(4); notes > 0; notes--) {
            at += (long) (random.nextDouble() * 12 * HOUR);
            due.accept(event(ROUTING, "routing-service", "city311.request.updated.v1", id, at,
                    data(id, service).text("department", department).text("status", "in_progress")
                            .text("visibility", "public").text("note", "Crew scheduled; we will be there soon")
                            .text("updatedAt", iso(at)).number("sequence", ++sequence)));
        }
        if (random.nextDouble() < 0.08) {
            String to = pick(StormBench.DEPARTMENT_MIX);
            at += (long) (random.nextDouble() * 24 * HOUR);
            due.accept(event(ROUTING, "routing-service", "city311.request.transferred.v1", id, at,
                    data(id, service).text("fromDepartment", department).text("toDepartment", to)
                            .text("department", to).text("status", "routed").text("reason", "Not ours to fix")
                            .number("hop", 1).text("transferredAt", iso(at)).number("sequence", ++sequence)));
            department = to;
        }
        if (random.nextDouble() >= 0.95) {
            return;
        }
        int resolutions = random.nextDouble() < 0.04 ? 2 : 1;
        for (int r = 0; r < resolutions; r++) {
            if (r > 0) {
                at += DAY;
                due.accept(event(ROUTING, "routing-service", "city311.request.reopened.v1", id, at,
                        data(id, service).text("department", department).text("status", "reopened")
                                .text("reason", "Still broken").text("reopenedAt", iso(at))
                                .number("sequence", ++sequence)));
            }
            at += HOUR + (long) (random.nextDouble() * 20 * DAY);
            producedResolutions++;
            Data resolved = data(id, service).text("department", department).text("resolutionCode", "fixed")
                    .text("resolvedAt", iso(at)).number("sequence", ++sequence)
                    .text("firstActionDueAt", iso(firstActionDue)).text("resolutionDueAt", iso(resolutionDue))
                    .number("pausedSeconds", 0);
            if (firstActionAt != null) {
                resolved.text("firstActionAt", iso(firstActionAt));
            }
            due.accept(event(ROUTING, "routing-service", "city311.request.resolved.v1", id, at, resolved));
        }
        if (random.nextDouble() < 0.3) {
            long answered = at + HOUR + (long) (random.nextDouble() * 3 * DAY);
            due.accept(event(FEEDBACK, "feedback-service", "city311.feedback.received.v1", id, answered,
                    new Data().text("feedbackId", uuid()).text("requestId", id).text("department", department)
                            .text("serviceCode", service).text("source", "survey")
                            .number("satisfaction", 1 + random.nextInt(5)).bool("resolved", random.nextBoolean())
                            .text("receivedAt", iso(answered))));
        }
        if (random.nextDouble() < 0.9) {
            at += 7 * DAY;
            due.accept(event(ROUTING, "routing-service", "city311.request.closed.v1", id, at,
                    data(id, service).text("department", department).text("status", "closed")
                            .text("reason", "Resolved a week ago").text("closedAt", iso(at))
                            .number("sequence", ++sequence)));
        }
    }

    private Pending event(String topic, String source, String type, String id, long at, Data data) {
        String body = "{\"specversion\":\"1.0\",\"id\":\"" + uuid() + "\",\"source\":\"/city311/" + source
                + "\",\"type\":\"" + type + "\",\"subject\":\"" + id + "\",\"time\":\"" + iso(at)
                + "\",\"datacontenttype\":\"application/json\",\"data\":" + data + "}";
        return new Pending(at, 0, topic, id, body.getBytes(StandardCharsets.UTF_8));
    }

    private static Data data(String id, String service) {
        return new Data().text("requestId", id).text("serviceCode", service);
    }

    /** A flat JSON object of plain values (none of them needs escaping). */
    private static final class Data {
        private final StringBuilder json = new StringBuilder("{");

        Data text(String name, String value) {
            field(name).append('"').append(value).append('"');
            return this;
        }

        Data number(String name, long value) {
            field(name).append(value);
            return this;
        }

        Data bool(String name, boolean value) {
            field(name).append(value);
            return this;
        }

        private StringBuilder field(String name) {
            return json.append(json.length() > 1 ? "," : "").append('"').append(name).append("\":");
        }

        @Override
        public String toString() {
            return json + "}";
        }
    }

    private String uuid() {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    private static String iso(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }

    private String pick(Map<String, Integer> mix) {
        int total = mix.values().stream().mapToInt(Integer::intValue).sum();
        int draw = random.nextInt(total);
        for (Map.Entry<String, Integer> share : new TreeMap<>(mix).entrySet()) {
            draw -= share.getValue();
            if (draw < 0) {
                return share.getKey();
            }
        }
        throw new IllegalStateException("empty mix");
    }

    // --- the processes -----------------------------------------------------------------------------------------

    private Process startKafka(int port, int controllerPort) throws Exception {
        Path properties = dir.resolve("kafka.properties");
        Files.writeString(properties, String.join("\n",
                "process.roles=broker,controller", "node.id=1",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port, "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + dir.resolve("kafka"), "num.partitions=" + partitions, "auto.create.topics.enable=true",
                "default.replication.factor=1", "min.insync.replicas=1", "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=5", "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1", "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1", "group.initial.rebalance.delay.ms=0",
                // a rebuild reads every event ever published: none may expire
                "log.retention.ms=-1", ""));
        String log4j = "-Dlog4j2.configurationFile=deploy/local/kafka-log4j2.yaml";
        // Kafka's own ids never start with '-', which the format tool would take for an option (one id in 64 did)
        String clusterId = Uuid.randomUuid().toString();
        Process format = new ProcessBuilder(java(), log4j, "-cp", "deploy/target/lib/*",
                "kafka.tools.StorageTool", "format", "--standalone", "-t", clusterId, "-c", properties.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("kafka-format.log").toFile()).start();
        if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
            throw new IllegalStateException("formatting Kafka's storage failed: see "
                    + Files.readString(dir.resolve("kafka-format.log")));
        }
        return start("kafka", List.of(java(), "-Xmx512m", "-XX:+ExitOnOutOfMemoryError", log4j, "-cp",
                "deploy/target/lib/*", "kafka.Kafka", properties.toString()), Map.of());
    }

    /** The JVM option that profiles {@code name} into the profiles folder, or a harmless one when not profiling. */
    private String profile(String name) {
        return profiles == null ? "-Dcity311.bench.profile=none"
                : "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                        + profiles.resolve(name + ".jfr").toAbsolutePath();
    }

    private Process start(String name, List<String> command, Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        synchronized (processes) {
            processes.add(process);
        }
        return process;
    }

    /** A public key for the service's token check (it refuses to start without one); no token is ever made. */
    private Path publicKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        Path key = dir.resolve("public.pem");
        Files.writeString(key, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(generator.generateKeyPair().getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        return key;
    }

    /** Waits for the caught-up line, saying every 30 s how far the group's committed offsets are. */
    private String waitForCatchUp(List<Process> running, String brokers, long started) throws Exception {
        Process service = running.get(0);
        Path log = dir.resolve("metrics-service.log");
        long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            while (true) {
                String line = lineWith(log, "Fold caught up with partitions");
                if (line != null) {
                    return line.substring(line.indexOf("Fold caught up"));
                }
                for (Process process : running) {
                    if (!process.isAlive()) {
                        String name = List.of("metrics-service", "mongo-store", "kafka").get(running.indexOf(process));
                        throw new IllegalStateException(name + " exited (code " + process.exitValue() + "): "
                                + tail(dir.resolve(name + ".log")));
                    }
                }
                if (System.nanoTime() > nextReport) {
                    nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    long committed = 0;
                    try {
                        for (OffsetAndMetadata offset : admin.listConsumerGroupOffsets("metrics-service")
                                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS).values()) {
                            committed += offset == null ? 0 : offset.offset();
                        }
                    }
                    catch (Exception e) {
                        // not yet a group: nothing committed
                    }
                    double seconds = (System.nanoTime() - started) / 1e9;
                    System.out.printf("  rebuilding: %.0f s, %,d of %,d events committed (%,.0f events/s so far), "
                            + "metrics-service RSS %,d MB%n", seconds, committed, producedEvents, committed / seconds,
                            rssKb(service) >> 10);
                }
                Thread.sleep(200);
            }
        }
    }

    /** What a rebuild must give: each request counted once, each ledger stored, nothing dead-lettered. */
    private void check(String brokers, int servicePort, int storePort) throws Exception {
        String metrics = get("http://127.0.0.1:" + servicePort + "/actuator/prometheus");
        long created = sum(metrics, "city311_requests_created_total{");
        long routed = sum(metrics, "city311_requests_routed_total{");
        long resolved = sum(metrics, "city311_requests_resolved_total{");
        long ledgers;
        try (MongoClient mongo = MongoClients.create("mongodb://127.0.0.1:" + storePort)) {
            ledgers = mongo.getDatabase("city311_metrics").getCollection("ledgers").estimatedDocumentCount();
        }
        long deadLetters = 0;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers))) {
            Map<TopicPartition, OffsetSpec> ends = new java.util.HashMap<>();
            for (String topic : admin.listTopics().names().get(30, TimeUnit.SECONDS)) {
                if (topic.contains(".dlq.")) {
                    admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                            .partitions().forEach(p -> ends.put(new TopicPartition(topic, p.partition()),
                                    OffsetSpec.latest()));
                }
            }
            if (!ends.isEmpty()) {
                for (var end : admin.listOffsets(ends).all().get(30, TimeUnit.SECONDS).values()) {
                    deadLetters += end.offset();
                }
            }
        }
        boolean right = created == requests && routed == requests && resolved == producedResolutions
                && ledgers == requests && deadLetters == 0;
        System.out.printf("check: created %,d, routed %,d (of %,d requests), resolved %,d (of %,d), ledgers "
                + "stored %,d, dead letters %,d: %s%n", created, routed, requests, resolved, producedResolutions,
                ledgers, deadLetters, right ? "each counted once" : "WRONG");
        if (!right) {
            System.exit(1);
        }
    }

    private static long sum(String metrics, String prefix) {
        return Math.round(metrics.lines().filter(line -> line.startsWith(prefix))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum());
    }

    private void cleanUp() {
        List<Process> running;
        synchronized (processes) {
            running = new ArrayList<>(processes);
            processes.clear();
        }
        // the service first, then the store and the broker it uses
        for (int i = running.size() - 1; i >= 0; i--) {
            Process process = running.get(i);
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
            catch (IOException | UncheckedIOException e) {
                System.err.println("Could not remove " + dir + ": " + e.getMessage());
            }
            System.out.println("removed " + dir);
        }
    }

    // --- small helpers -----------------------------------------------------------------------------------------

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void waitForLine(Path log, String text, Process process, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lineWith(log, text) == null) {
            if (!process.isAlive()) {
                throw new IllegalStateException(log.getFileName() + ": exited while starting: " + tail(log));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(log.getFileName() + ": no \"" + text + "\" within " + timeout);
            }
            Thread.sleep(200);
        }
    }

    private static String lineWith(Path log, String text) throws IOException {
        if (!Files.exists(log)) {
            return null;
        }
        try (Stream<String> lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
            return lines.filter(line -> line.contains(text)).findFirst().orElse(null);
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private String get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** User and system CPU of a process so far, in clock ticks (100 a second), from /proc. */
    private static long[] cpu(Process process) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] { Long.parseLong(fields[11]) + Long.parseLong(fields[12]) };
        }
        catch (IOException | RuntimeException e) {
            return new long[] { 0 };
        }
    }

    private static long[] minus(long[] after, long[] before) {
        return new long[] { after[0] - before[0] };
    }

    private static long peakRssKb(Process process) {
        return statusKb(process, "VmHWM:");
    }

    private static long rssKb(Process process) {
        return statusKb(process, "VmRSS:");
    }

    private static long statusKb(Process process, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        }
        catch (IOException | RuntimeException e) {
            // gone
        }
        return 0;
    }

    private static long size(Path path) {
        try (Stream<Path> paths = Files.walk(path)) {
            return paths.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
        catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

}
