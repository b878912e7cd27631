package org.city311.metrics.servicelevel;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import org.springframework.stereotype.Component;

/**
 * The service levels of the partitions this instance owns, on {@code /actuator/prometheus}.
 * <p>
 * The three topics are keyed by request id and have the same partition count, and this service reads them with
 * one consumer using Kafka's range assignor: partition {@code p} of every topic comes to the same instance, so each
 * instance folds all the events of its requests and none of the others'. Every series carries a {@code partition}
 * label: when a partition moves to another instance its series move with it (ending on one instance, starting on
 * the other) instead of making a counter go down, which Prometheus would read as a reset. Summed across instances
 * and partitions, two instances give the figures of one.
 * <p>
 * A Prometheus collector of its own, not Micrometer meters: the names are a contract with dashboards, and the
 * Prometheus client would strip the reserved {@code _created} suffix from {@code city311_requests_created_total}.
 */
@Component
class ServiceLevels implements MultiCollector {

    static final String REQUESTS_OPEN = "city311_requests_open";
    static final String REQUESTS_OVERDUE = "city311_requests_overdue";
    static final String FOLLOWUPS_OPEN = "city311_followups_open";
    static final String FOLLOWUPS_OVERDUE = "city311_followups_overdue";
    static final String EVENTS_WAITING = "city311_fold_events_waiting";

    private final Map<Integer, Partition> partitions = new ConcurrentHashMap<>();
    private final Clock clock;

    ServiceLevels(PrometheusRegistry prometheus, Clock clock) {
        this.clock = clock;
        prometheus.register(this);
    }

    /** One partition's requests and figures; its lock guards the ledgers. */
    static final class Partition {
        final int number;
        final Map<String, RequestLedger> ledgers = new HashMap<>();
        final PartitionFigures figures = new PartitionFigures();
        /** The ledgers a scrape counts ({@link RequestLedger#counted}): the open ones, not the history. */
        final Set<RequestLedger> counted = new HashSet<>();
        /** Every department a ledger has named, of requests and of follow-ups: shown, at 0 when nothing is open. */
        final Set<String> departments = new TreeSet<>();
        final Set<String> followUpDepartments = new TreeSet<>();

        Partition(int number) {
            this.number = number;
        }
    }

    Partition partition(int number) {
        return partitions.computeIfAbsent(number, Partition::new);
    }

    Set<Integer> owned() {
        return Set.copyOf(partitions.keySet());
    }

    void release(Collection<Integer> numbers) {
        numbers.forEach(partitions::remove);
    }

    /** Whether the request's ledger has already counted this entry. */
    boolean seen(int partition, String requestId, LedgerEntry entry) {
        Partition part = partition(partition);
        synchronized (part) {
            RequestLedger ledger = part.ledgers.get(requestId);
            return ledger != null && ledger.seen(entry);
        }
    }

    /** Whether the request has a ledger here: every ledger stored in an owned partition has, once folded. */
    boolean has(int partition, String requestId) {
        Partition part = partition(partition);
        synchronized (part) {
            return part.ledgers.containsKey(requestId);
        }
    }

    boolean apply(int partition, String requestId, LedgerEntry entry) {
        Partition part = partition(partition);
        synchronized (part) {
            RequestLedger ledger = part.ledgers.computeIfAbsent(requestId, RequestLedger::new);
            if (!ledger.apply(entry, part.figures)) {
                return false;
            }
            ledger.departments(part.departments, part.followUpDepartments);
            if (ledger.counted()) {
                part.counted.add(ledger);
            }
            else {
                part.counted.remove(ledger);
            }
            return true;
        }
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricSnapshot> snapshots = new ArrayList<>();
        for (Metric metric : Metric.values()) {
            if (metric.histogram()) {
                HistogramSnapshot.Builder histogram = HistogramSnapshot.builder().name(metric.prometheusName())
                        .help(metric.help());
                partitions.values().forEach(part -> part.figures.forEachHistogram(metric, (labels, values) ->
                        histogram.dataPoint(new HistogramSnapshot.HistogramDataPointSnapshot(
                                ClassicHistogramBuckets.of(withInfinity(values.bounds()), values.counts()),
                                values.sum(), labels(labels, part.number), Exemplars.EMPTY, 0))));
                snapshots.add(histogram.build());
            }
            else {
                CounterSnapshot.Builder counter = CounterSnapshot.builder().name(metric.prometheusName())
                        .help(metric.help());
                partitions.values().forEach(part -> part.figures.forEachCounter(metric, (labels, value) ->
                        counter.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                                .labels(labels(labels, part.number)).value(value).build())));
                snapshots.add(counter.build());
            }
        }
        snapshots.addAll(gauges(clock.instant()));
        return new MetricSnapshots(snapshots);
    }

    @Override
    public List<String> getPrometheusNames() {
        List<String> names = new ArrayList<>();
        for (Metric metric : Metric.values()) {
            names.add(metric.prometheusName());
        }
        names.addAll(List.of(REQUESTS_OPEN, REQUESTS_OVERDUE, FOLLOWUPS_OPEN, FOLLOWUPS_OVERDUE, EVENTS_WAITING));
        return names;
    }

    /** What is open and overdue now: counted at each scrape, since time alone makes a request overdue. */
    private List<MetricSnapshot> gauges(Instant now) {
        GaugeSnapshot.Builder open = gauge(REQUESTS_OPEN, "Requests routed and not yet resolved, by the department that has them (not those linked as duplicates)");
        GaugeSnapshot.Builder overdue = gauge(REQUESTS_OVERDUE,
                "Open requests past their resolution due time (not while on a hold that stops the standard's clock)");
        GaugeSnapshot.Builder followUpsOpen = gauge(FOLLOWUPS_OPEN, "Follow-ups of negative feedback not yet closed");
        GaugeSnapshot.Builder followUpsOverdue = gauge(FOLLOWUPS_OVERDUE, "Open follow-ups past their due date");
        GaugeSnapshot.Builder waiting = gauge(EVENTS_WAITING,
                "Routing events waiting for an earlier event of the same request (not yet counted); stays 0 unless an event is missing");
        for (Partition part : partitions.values()) {
            Map<String, int[]> requests = new TreeMap<>();
            Map<String, int[]> followUps = new TreeMap<>();
            int waitingEvents = 0;
            synchronized (part) {
                part.departments.forEach(department -> requests.put(department, new int[2]));
                part.followUpDepartments.forEach(department -> followUps.put(department, new int[2]));
                for (RequestLedger ledger : part.counted) {
                    waitingEvents += ledger.waitingCount();
                    ledger.tallyOpen(now, requests, followUps);
                }
            }
            requests.forEach((department, figures) -> {
                Labels labels = labels(Map.of("department", department), part.number);
                open.dataPoint(point(labels, figures[0]));
                overdue.dataPoint(point(labels, figures[1]));
            });
            followUps.forEach((department, figures) -> {
                Labels labels = labels(Map.of("department", department), part.number);
                followUpsOpen.dataPoint(point(labels, figures[0]));
                followUpsOverdue.dataPoint(point(labels, figures[1]));
            });
            waiting.dataPoint(point(labels(Map.of(), part.number), waitingEvents));
        }
        return List.of(open.build(), overdue.build(), followUpsOpen.build(), followUpsOverdue.build(),
                waiting.build());
    }

    private static GaugeSnapshot.Builder gauge(String name, String help) {
        return GaugeSnapshot.builder().name(name).help(help);
    }

    private static GaugeSnapshot.GaugeDataPointSnapshot point(Labels labels, double value) {
        return GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }

    private static double[] withInfinity(double[] bounds) {
        double[] all = java.util.Arrays.copyOf(bounds, bounds.length + 1);
        all[bounds.length] = Double.POSITIVE_INFINITY;
        return all;
    }

    private static Labels labels(Map<String, String> tags, int partition) {
        Labels.Builder labels = Labels.builder();
        new TreeMap<>(tags).forEach(labels::label);
        labels.label("partition", Integer.toString(partition));
        return labels.build();
    }
}
