package org.city311.metrics.servicelevel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * The service levels over a window of time, for scorecards and goals: every stored ledger folded again, keeping
 * what happened between {@code from} and {@code to}, and each request's state now. It reads the store, not this
 * instance's partitions, so any instance answers for the whole city.
 * <p>
 * It scans every ledger: fine for a city's months of requests on MongoDB; a city of New York's volume would keep
 * daily rollups instead (see the README).
 */
@Component
public class ServiceLevelHistory {

    private final LedgerStore store;

    ServiceLevelHistory(LedgerStore store) {
        this.store = store;
    }

    /**
     * What a window holds, by Prometheus metric name (without {@code _total}) and labels.
     *
     * @param counts counter increments within the window
     * @param observations each histogram observation within the window (seconds, or a satisfaction score)
     * @param openNow per department, requests open now and of those overdue now
     * @param followUpsNow per department, follow-ups open now and of those overdue now
     */
    public record Window(Instant from, Instant to, Map<String, Map<Map<String, String>, Double>> counts,
            Map<String, Map<Map<String, String>, List<Double>>> observations, Map<String, int[]> openNow,
            Map<String, int[]> followUpsNow) {

        /** The sum of a counter over the series whose labels include {@code match}. */
        public double count(String metric, Map<String, String> match) {
            return counts.getOrDefault(metric, Map.of()).entrySet().stream()
                    .filter(series -> series.getKey().entrySet().containsAll(match.entrySet()))
                    .mapToDouble(Map.Entry::getValue).sum();
        }

        /** Every observation of a histogram over the series whose labels include {@code match}. */
        public List<Double> observed(String metric, Map<String, String> match) {
            List<Double> values = new ArrayList<>();
            observations.getOrDefault(metric, Map.of()).forEach((labels, observed) -> {
                if (labels.entrySet().containsAll(match.entrySet())) {
                    values.addAll(observed);
                }
            });
            return values;
        }
    }

    public Mono<Window> window(Instant from, Instant to, Instant now) {
        WindowFigures figures = new WindowFigures(from, to);
        Map<String, int[]> openNow = new TreeMap<>();
        Map<String, int[]> followUpsNow = new TreeMap<>();
        return store.all().doOnNext(stored -> {
            RequestLedger ledger = new RequestLedger(stored.id());
            stored.entries().forEach(entry -> ledger.apply(entry, figures));
            ledger.tallyOpen(now, openNow, followUpsNow);
        }).then(Mono.fromSupplier(() -> new Window(from, to, figures.counts, figures.observations, openNow,
                followUpsNow)));
    }

    /** Keeps what happened in [from, to). */
    private static final class WindowFigures implements Figures {
        private final Instant from;
        private final Instant to;
        private final Map<String, Map<Map<String, String>, Double>> counts = new HashMap<>();
        private final Map<String, Map<Map<String, String>, List<Double>>> observations = new HashMap<>();

        WindowFigures(Instant from, Instant to) {
            this.from = from;
            this.to = to;
        }

        @Override
        public void count(Metric metric, Map<String, String> labels, Instant at) {
            if (within(at)) {
                counts.computeIfAbsent(metric.prometheusName(), name -> new HashMap<>()).merge(labels, 1.0,
                        Double::sum);
            }
        }

        @Override
        public void observe(Metric metric, Map<String, String> labels, double value, Instant at) {
            if (within(at)) {
                observations.computeIfAbsent(metric.prometheusName(), name -> new HashMap<>())
                        .computeIfAbsent(labels, key -> new ArrayList<>()).add(value);
            }
        }

        private boolean within(Instant at) {
            return at != null && !at.isBefore(from) && at.isBefore(to);
        }
    }
}
