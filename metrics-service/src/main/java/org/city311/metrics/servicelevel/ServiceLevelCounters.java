package org.city311.metrics.servicelevel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.aggregation.Aggregation;
import org.springframework.stereotype.Component;

/**
 * The service-level counters on {@code /actuator/prometheus}: rebuilt from the stored counted events when the
 * service starts (before any consumer runs), then moved by each newly counted event.
 * <p>
 * They are exposed as a Prometheus collector rather than Micrometer counters because the names are a contract
 * with dashboards, and the Prometheus client would strip the reserved {@code _created} suffix from
 * {@code city311_requests_created_total}.
 */
@Component
class ServiceLevelCounters implements MultiCollector {

    static final String CREATED = "city311_requests_created";
    static final String ROUTED = "city311_requests_routed";
    static final String RESOLVED = "city311_requests_resolved";
    static final String FEEDBACK = "city311_feedback_received";
    static final String TRANSFERRED = "city311_requests_transferred";
    static final String REOPENED = "city311_requests_reopened";
    static final String FOLLOWUPS_OPENED = "city311_followups_opened";
    static final String FOLLOWUPS_CLOSED = "city311_followups_closed";
    static final String FOLLOWUPS_MISSED = "city311_followups_missed";

    private static final Logger log = LoggerFactory.getLogger(ServiceLevelCounters.class);
    private static final Map<String, String> HELP = Map.ofEntries(
            Map.entry(FOLLOWUPS_OPENED, "Follow-ups opened after negative feedback, by department and reason"),
            Map.entry(FOLLOWUPS_CLOSED, "Follow-ups closed, by department and whether within their due date"),
            Map.entry(FOLLOWUPS_MISSED, "Follow-ups that passed their due date unclosed"),
            Map.entry(CREATED, "Requests accepted, by channel and customer segment"),
            Map.entry(ROUTED, "Requests routed for the first time, by the department they were routed to"),
            Map.entry(RESOLVED, "Resolutions, by the department that resolved the request"),
            Map.entry(FEEDBACK,
                    "Feedback received, by the department that handled the request and the feedback's source"),
            Map.entry(TRANSFERRED, "Transfers of a request from one department to another: the runaround"),
            Map.entry(REOPENED, "Resolved requests reopened, by the department that has them"));

    private final Map<String, Map<Labels, DoubleAdder>> counters = new ConcurrentHashMap<>();

    ServiceLevelCounters(PrometheusRegistry prometheus, ReactiveMongoTemplate mongo) {
        rebuild(mongo);
        prometheus.register(this);
    }

    void increment(String metric, Map<String, String> tags, double amount) {
        counters.computeIfAbsent(metric, name -> new ConcurrentHashMap<>())
                .computeIfAbsent(labels(tags), labels -> new DoubleAdder())
                .add(amount);
    }

    /** A value as the dashboard reads it; 0 for a series never counted. */
    double value(String metric, Map<String, String> tags) {
        DoubleAdder adder = counters.getOrDefault(metric, Map.of()).get(labels(tags));
        return adder == null ? 0 : adder.sum();
    }

    static String series(String metric, Map<String, String> tags) {
        return metric + new TreeMap<>(tags);
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricSnapshot> snapshots = new ArrayList<>();
        counters.forEach((metric, series) -> {
            CounterSnapshot.Builder counter = CounterSnapshot.builder().name(metric).help(HELP.get(metric));
            series.forEach((labels, value) -> counter.dataPoint(
                    CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(value.sum()).build()));
            snapshots.add(counter.build());
        });
        return new MetricSnapshots(snapshots);
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.copyOf(HELP.keySet());
    }

    private void rebuild(ReactiveMongoTemplate mongo) {
        Aggregation perSeries = Aggregation.newAggregation(
                Aggregation.group("series").count().as("count").first("metric").as("metric").first("tags").as("tags"));
        long series = mongo.aggregate(perSeries, CountedEvent.COLLECTION, Document.class)
                .doOnNext(total -> increment(total.getString("metric"), stringMap(total.get("tags", Document.class)),
                        ((Number) total.get("count")).doubleValue()))
                .count()
                .block(Duration.ofMinutes(5));
        log.info("Service-level counters rebuilt from the store: {} series", series);
    }

    private static Map<String, String> stringMap(Document document) {
        Map<String, String> tags = new TreeMap<>();
        if (document != null) {
            document.forEach((key, value) -> tags.put(key, String.valueOf(value)));
        }
        return tags;
    }

    private static Labels labels(Map<String, String> tags) {
        Labels.Builder labels = Labels.builder();
        new TreeMap<>(tags).forEach((name, value) -> labels.label(name, value == null ? "unknown" : value));
        return labels.build();
    }
}
