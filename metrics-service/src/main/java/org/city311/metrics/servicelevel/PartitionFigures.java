package org.city311.metrics.servicelevel;

import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The counters and histograms of one partition's requests. Only that partition's consumer writes them; the
 * Prometheus scrape reads them at any time.
 */
final class PartitionFigures implements Figures {

    private final Map<Metric, Map<Map<String, String>, double[]>> counters = new EnumMap<>(Metric.class);
    private final Map<Metric, Map<Map<String, String>, Histogram>> histograms = new EnumMap<>(Metric.class);

    PartitionFigures() {
        for (Metric metric : Metric.values()) {
            if (metric.histogram()) {
                histograms.put(metric, new ConcurrentHashMap<>());
            }
            else {
                counters.put(metric, new ConcurrentHashMap<>());
            }
        }
    }

    @Override
    public void count(Metric metric, Map<String, String> labels, Instant at) {
        double[] value = counters.get(metric).computeIfAbsent(labels, key -> new double[1]);
        synchronized (value) {
            value[0]++;
        }
    }

    @Override
    public void observe(Metric metric, Map<String, String> labels, double value, Instant at) {
        histograms.get(metric).computeIfAbsent(labels, key -> new Histogram(metric.buckets())).observe(value);
    }

    void forEachCounter(Metric metric, BiConsumer<Map<String, String>, Double> action) {
        counters.get(metric).forEach((labels, value) -> {
            double current;
            synchronized (value) {
                current = value[0];
            }
            action.accept(labels, current);
        });
    }

    void forEachHistogram(Metric metric, BiConsumer<Map<String, String>, Histogram.Snapshot> action) {
        histograms.get(metric).forEach((labels, histogram) -> action.accept(labels, histogram.snapshot()));
    }

    /** A value as a dashboard would read it: 0 for a series never counted. */
    double counter(Metric metric, Map<String, String> labels) {
        double[] value = counters.get(metric).get(labels);
        if (value == null) {
            return 0;
        }
        synchronized (value) {
            return value[0];
        }
    }

    Histogram.Snapshot histogram(Metric metric, Map<String, String> labels) {
        Histogram histogram = histograms.get(metric).get(labels);
        return histogram == null ? new Histogram(metric.buckets()).snapshot() : histogram.snapshot();
    }

    /** Classic Prometheus histogram: counts per bucket (not cumulative), the last one for {@code +Inf}. */
    static final class Histogram {
        private final double[] bounds;
        private final long[] counts;
        private double sum;

        Histogram(double[] bounds) {
            this.bounds = bounds;
            this.counts = new long[bounds.length + 1];
        }

        synchronized void observe(double value) {
            int bucket = Arrays.binarySearch(bounds, value);
            counts[bucket >= 0 ? bucket : -bucket - 1]++;
            sum += value;
        }

        synchronized Snapshot snapshot() {
            return new Snapshot(bounds, counts.clone(), sum);
        }

        record Snapshot(double[] bounds, long[] counts, double sum) {

            long count() {
                return Arrays.stream(counts).sum();
            }

            /** Observations at or below {@code bound} (one of the bucket bounds), as {@code _bucket{le=...}} says. */
            long atOrBelow(double bound) {
                long total = 0;
                for (int i = 0; i < bounds.length && bounds[i] <= bound; i++) {
                    total += counts[i];
                }
                return total;
            }
        }
    }
}
