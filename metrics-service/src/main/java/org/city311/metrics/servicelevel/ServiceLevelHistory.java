package org.city311.metrics.servicelevel;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
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
 * daily rollups instead (see the README). Callers ask for several windows at once ({@link #windows}, {@link #days})
 * to read the store once, and the API answers from a cache of what was computed (see {@code Scorecards}).
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

    /** [from, to) */
    public record Span(Instant from, Instant to) {
    }

    /**
     * How many times this instance has written ledgers since it started: unchanged, a window read before holds the
     * same events (other instances' writes aside; figures that follow the clock, such as overdue now, aside too).
     */
    public long ledgerChanges() {
        return store.changes();
    }

    public Mono<Window> window(Instant from, Instant to, Instant now) {
        return windows(List.of(new Span(from, to)), now).map(windows -> windows.get(0));
    }

    /** Several windows, in the order of {@code spans}, from one reading of the store. */
    public Mono<List<Window>> windows(List<Span> spans, Instant now) {
        List<WindowFigures> each = spans.stream().map(span -> new WindowFigures(span.from(), span.to())).toList();
        Figures all = each.size() == 1 ? each.get(0) : new Figures() {
            @Override
            public void count(Metric metric, Map<String, String> labels, Instant at) {
                each.forEach(window -> window.count(metric, labels, at));
            }

            @Override
            public void observe(Metric metric, Map<String, String> labels, double value, Instant at) {
                each.forEach(window -> window.observe(metric, labels, value, at));
            }
        };
        return scan(all, each, now);
    }

    /**
     * One window per UTC day, {@code days} of them from {@code first}, from one reading of the store: the points
     * of a trend. Each day's {@code openNow} is what is open now, whatever the day.
     */
    public Mono<List<Window>> days(LocalDate first, int days, Instant now) {
        List<WindowFigures> each = new ArrayList<>(days);
        for (int day = 0; day < days; day++) {
            each.add(new WindowFigures(first.plusDays(day).atStartOfDay(ZoneOffset.UTC).toInstant(),
                    first.plusDays(day + 1).atStartOfDay(ZoneOffset.UTC).toInstant()));
        }
        Instant start = first.atStartOfDay(ZoneOffset.UTC).toInstant();
        Figures byDay = new Figures() {
            @Override
            public void count(Metric metric, Map<String, String> labels, Instant at) {
                WindowFigures day = dayOf(at);
                if (day != null) {
                    day.count(metric, labels, at);
                }
            }

            @Override
            public void observe(Metric metric, Map<String, String> labels, double value, Instant at) {
                WindowFigures day = dayOf(at);
                if (day != null) {
                    day.observe(metric, labels, value, at);
                }
            }

            private WindowFigures dayOf(Instant at) {
                if (at == null || at.isBefore(start)) {
                    return null;
                }
                long day = Duration.between(start, at).toDays();
                return day < days ? each.get((int) day) : null;
            }
        };
        return scan(byDay, each, now);
    }

    /**
     * The finite upper bounds (seconds, ascending) of a histogram's buckets, as on {@code /actuator/prometheus}.
     *
     * @param metric a histogram's Prometheus name, e.g. {@code city311_resolution_seconds}
     */
    public static double[] bucketBounds(String metric) {
        for (Metric known : Metric.values()) {
            if (known.prometheusName().equals(metric) && known.histogram()) {
                return known.buckets();
            }
        }
        throw new IllegalArgumentException("no histogram " + metric);
    }

    /** Every stored ledger folded again into {@code figures}; each of {@code windows} then made a {@link Window}. */
    private Mono<List<Window>> scan(Figures figures, List<WindowFigures> windows, Instant now) {
        Map<String, int[]> openNow = new TreeMap<>();
        Map<String, int[]> followUpsNow = new TreeMap<>();
        return store.all().doOnNext(stored -> {
            RequestLedger ledger = new RequestLedger(stored.id());
            stored.entries().forEach(entry -> ledger.apply(entry, figures));
            ledger.tallyOpen(now, openNow, followUpsNow);
        }).then(Mono.fromSupplier(() -> windows.stream().map(window -> new Window(window.from, window.to,
                window.counts, window.observations, openNow, followUpsNow)).toList()));
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
