package org.city311.metrics.servicelevel;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.city311.contracts.EventContract;
import org.city311.platform.events.CloudEvent;
import org.city311.platform.events.CloudEvents;

/**
 * The fold's own speed and memory, without Kafka or the store: a synthetic city's events (about eight per
 * request: created, routed, accepted, a note, sometimes a hold, a transfer or a reopen, resolved, feedback)
 * decoded from CloudEvent JSON and folded into the ledgers, as the consumer and a rebuild do. Prints figures;
 * asserts nothing. Run by {@code ./bench.sh fold [--events 1000000]}.
 */
public final class FoldBench {

    private static final String[] DEPARTMENTS = { "transportation", "sanitation", "parks", "environmental-protection",
            "buildings", "health", "housing", "consumer-protection" };

    private FoldBench() {
    }

    public static void main(String[] args) {
        int events = 1_000_000;
        int partitions = 3;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--events" -> events = Integer.parseInt(args[i + 1]);
                case "--partitions" -> partitions = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        JsonMapper json = JsonMapper.builder().build();
        CloudEvents cloudEvents = new CloudEvents(json, "bench", Clock.systemUTC());
        LedgerEntries entries = new LedgerEntries(cloudEvents);

        // Warm-up on a city of its own, so the figures are the JIT-compiled fold's.
        run(new ServiceLevels(new PrometheusRegistry(), Clock.systemUTC()), cloudEvents, entries, 200_000,
                partitions, "warm");
        System.gc();
        long heapBefore = usedHeap();

        ServiceLevels serviceLevels = new ServiceLevels(new PrometheusRegistry(), Clock.systemUTC());
        long started = System.nanoTime();
        int[] counts = run(serviceLevels, cloudEvents, entries, events, partitions, "bench");
        double seconds = (System.nanoTime() - started) / 1e9;

        long heapAfter = usedHeap();
        long scrapeStarted = System.nanoTime();
        int series = serviceLevels.collect().size();
        double scrapeMillis = (System.nanoTime() - scrapeStarted) / 1e6;

        System.out.printf("fold: %,d events of %,d requests in %.1f s = %,.0f events/s (decode CloudEvent JSON + fold)%n",
                counts[0], counts[1], seconds, counts[0] / seconds);
        System.out.printf("memory: %,d MB live heap for the ledgers and figures of %,d requests (%,d bytes a request)%n",
                (heapAfter - heapBefore) / (1024 * 1024), counts[1], (heapAfter - heapBefore) / Math.max(1, counts[1]));
        System.out.printf("scrape: %d metric families in %.0f ms (open and overdue counted over every ledger)%n",
                series, scrapeMillis);
        System.out.printf("check: %,.0f requests routed, %,.0f resolved%n",
                sum(serviceLevels, Metric.REQUESTS_ROUTED), sum(serviceLevels, Metric.REQUESTS_RESOLVED));
    }

    /** @return events folded, requests */
    private static int[] run(ServiceLevels serviceLevels, CloudEvents cloudEvents, LedgerEntries entries, int events,
            int partitions, String prefix) {
        Random random = new Random(311);
        Instant start = Instant.parse("2026-01-05T13:00:00Z");
        int folded = 0;
        int requests = 0;
        // Requests interleave as they would on the topics: a block of them in flight, each advancing a step.
        while (folded < events) {
            List<List<byte[]>> block = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                block.add(request(cloudEvents, prefix + "-" + requests++, start.plusSeconds(requests * 30L), random));
            }
            for (int step = 0; step < 12 && folded < events; step++) {
                for (List<byte[]> request : block) {
                    if (step < request.size() && folded < events) {
                        CloudEvent event = cloudEvents.parse(request.get(step));
                        String topic = event.type().startsWith("city311.request.created") ? "city311.requests"
                                : event.type().startsWith("city311.request.") ? "city311.routing" : "city311.feedback";
                        entries.read(topic, event).ifPresent(read -> serviceLevels.apply(
                                Math.floorMod(read.requestId().hashCode(), partitions), read.requestId(), read.entry()));
                        folded++;
                    }
                }
            }
        }
        return new int[] { folded, requests };
    }

    private static List<byte[]> request(CloudEvents cloudEvents, String id, Instant submitted, Random random) {
        String department = DEPARTMENTS[random.nextInt(DEPARTMENTS.length)];
        List<byte[]> events = new ArrayList<>();
        events.add(event(cloudEvents, EventContract.REQUEST_CREATED, id, Map.of("requestId", id, "serviceCode",
                "pothole", "channel", "phone", "segment", "resident", "submittedAt", submitted.toString(),
                "description", "A pothole in the right lane, about a foot across")));
        long sequence = 1;
        Instant at = submitted.plusSeconds(2);
        events.add(event(cloudEvents, EventContract.REQUEST_ROUTED, id, Map.ofEntries(Map.entry("requestId", id),
                Map.entry("serviceCode", "pothole"), Map.entry("department", department),
                Map.entry("rule", "service-owner"), Map.entry("routedAt", at.toString()),
                Map.entry("sequence", sequence), Map.entry("submittedAt", submitted.toString()),
                Map.entry("firstActionDueAt", submitted.plus(Duration.ofDays(1)).toString()),
                Map.entry("resolutionDueAt", submitted.plus(Duration.ofDays(5)).toString()),
                Map.entry("channel", "phone"), Map.entry("segment", "resident"))));
        at = at.plus(Duration.ofHours(1 + random.nextInt(30)));
        events.add(routing(cloudEvents, EventContract.REQUEST_ACCEPTED, id, ++sequence, at, department));
        at = at.plus(Duration.ofHours(2));
        events.add(routing(cloudEvents, EventContract.REQUEST_UPDATED, id, ++sequence, at, department));
        if (random.nextInt(5) == 0) {
            String to = DEPARTMENTS[random.nextInt(DEPARTMENTS.length)];
            at = at.plus(Duration.ofHours(3));
            events.add(event(cloudEvents, EventContract.REQUEST_TRANSFERRED, id, Map.of("requestId", id,
                    "fromDepartment", department, "toDepartment", to, "department", to, "sequence", ++sequence)));
            department = to;
        }
        at = at.plus(Duration.ofHours(random.nextInt(200)));
        events.add(routing(cloudEvents, EventContract.REQUEST_RESOLVED, id, ++sequence, at, department));
        if (random.nextInt(10) == 0) {
            at = at.plus(Duration.ofDays(1));
            events.add(routing(cloudEvents, EventContract.REQUEST_REOPENED, id, ++sequence, at, department));
            at = at.plus(Duration.ofDays(1));
            events.add(routing(cloudEvents, EventContract.REQUEST_RESOLVED, id, ++sequence, at, department));
        }
        events.add(event(cloudEvents, EventContract.FEEDBACK_RECEIVED, id, Map.of("feedbackId",
                UUID.randomUUID().toString(), "requestId", id, "department", department, "serviceCode", "pothole",
                "source", "survey", "satisfaction", 1 + random.nextInt(5), "resolved", random.nextBoolean())));
        events.add(routing(cloudEvents, EventContract.REQUEST_CLOSED, id, ++sequence, at.plus(Duration.ofDays(2)),
                department));
        return events;
    }

    private static byte[] routing(CloudEvents cloudEvents, String type, String id, long sequence, Instant at,
            String department) {
        return event(cloudEvents, type, id, Map.of("requestId", id, "serviceCode", "pothole", "department",
                department, "sequence", sequence, "at", at.toString()));
    }

    private static byte[] event(CloudEvents cloudEvents, String type, String id, Object data) {
        return cloudEvents.toJson(cloudEvents.create(type, id, data)).getBytes(StandardCharsets.UTF_8);
    }

    private static double sum(ServiceLevels serviceLevels, Metric metric) {
        double[] total = { 0 };
        for (int partition : serviceLevels.owned()) {
            serviceLevels.partition(partition).figures.forEachCounter(metric, (labels, value) -> total[0] += value);
        }
        return total[0];
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
