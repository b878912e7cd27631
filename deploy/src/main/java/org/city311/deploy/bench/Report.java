package org.city311.deploy.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import javax.imageio.ImageIO;

/** The storm bench's figures: printed, and written as markdown and a PNG chart under the results folder. */
final class Report {

    private final StormBench.Settings settings;
    private final StormBench bench;
    private final List<StormBench.Sample> samples;
    private final Window.Closed steady;
    private final double filingSeconds;
    private final double drainSeconds;
    private final long backlogAtEnd;
    private final long counted;
    private final Ceilings.Figures ceilings;

    Report(StormBench.Settings settings, StormBench bench, List<StormBench.Sample> samples, Window.Closed steady,
            double filingSeconds, double drainSeconds, long backlogAtEnd, long counted, Ceilings.Figures ceilings) {
        this.settings = settings;
        this.bench = bench;
        synchronized (samples) {
            this.samples = List.copyOf(samples);
        }
        this.steady = steady;
        this.filingSeconds = filingSeconds;
        this.drainSeconds = drainSeconds;
        this.backlogAtEnd = backlogAtEnd;
        this.counted = counted;
        this.ceilings = ceilings;
    }

    void write() throws IOException {
        String markdown = markdown();
        System.out.println();
        System.out.println(markdown);
        Files.createDirectories(settings.results());
        String name = "storm-" + StormBench.timestamp();
        Path table = settings.results().resolve(name + ".md");
        Files.writeString(table, markdown);
        Path chart = settings.results().resolve(name + ".png");
        chart(chart);
        Path latencies = settings.results().resolve(name + "-latencies.csv");
        StringBuilder csv = new StringBuilder("filed_second,created_to_routed_ms\n");
        bench.routeLatencies().forEach(latency -> csv.append(String.format(Locale.ROOT, "%.3f,%.0f%n", latency[0],
                latency[1])));
        Files.writeString(latencies, csv);
        System.out.println("Written: " + table + ", " + chart + " and " + latencies);
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        double windowStart = steady == null ? 0 : filingSeconds - steady.seconds();
        StormBench.Sample from = at(windowStart);
        StormBench.Sample to = at(filingSeconds);
        double span = Math.max(1e-9, to.second() - from.second());
        double filedRate = (to.filed() - from.filed()) / span;
        double routedRate = (to.routed() - from.routed()) / span;
        double countedRate = (to.counted() - from.counted()) / span;
        long backlogFrom = from.filed() - from.counted();
        long backlogTo = to.filed() - to.counted();
        // (Open311 filings to a batch service are answered with a token, not a number: not followed to routed)
        long unroutedFrom = from.identified() - from.routed();
        long unroutedTo = to.identified() - to.routed();
        // End to end means routed and counted: the slower of the two carries the storm, if neither backlog grew.
        double allowance = Math.max(50, 2 * settings.rate());
        boolean sustained = backlogTo - backlogFrom <= allowance && unroutedTo - unroutedFrom <= allowance;
        double endToEnd = Math.min(routedRate, countedRate);
        List<Long> latencies = bench.routeLatenciesMillis(windowStart);
        List<Long> allLatencies = bench.routeLatenciesMillis(0);

        md.append("## Storm bench: ").append(String.format(Locale.ROOT, "%,d", bench.filed()))
                .append(" requests filed at ").append(fmt(settings.rate())).append("/s offered\n\n");
        md.append("| Figure | Value |\n| --- | --- |\n");
        row(md, "Filed / refused", "%,d / %,d %s".formatted(bench.filed(), bench.refused(),
                bench.refusedByStatus().isEmpty() ? "" : bench.refusedByStatus().toString()));
        row(md, "Steady window", "%.0f s after %.0f s of warm-up".formatted(span, windowStart));
        row(md, "Filed → routed → counted, steady (per s)", "%s → %s → %s".formatted(fmt(filedRate),
                fmt(routedRate), fmt(countedRate)));
        row(md, "Backlog not yet routed / not yet counted over the window", "%,d → %,d / %,d → %,d: %s".formatted(
                unroutedFrom, unroutedTo, backlogFrom, backlogTo, sustained ? "held" : "GREW"));
        row(md, "**Sustained end to end**", sustained ? "**%s requests/s**".formatted(fmt(endToEnd))
                : "**not sustained at %s/s** (routed %s/s, counted %s/s)".formatted(fmt(settings.rate()),
                        fmt(routedRate), fmt(countedRate)));
        row(md, "Backlog when filing ended; drained in", "%,d; %.0f s%s".formatted(backlogAtEnd, drainSeconds,
                counted < bench.filed() ? " (NOT drained: %,d counted)".formatted(counted) : ""));
        row(md, "Created → routed (p50 / p99), filed in the steady window", latencies.isEmpty() ? "none routed"
                : "%,d ms / %,d ms".formatted(percentile(latencies, 50), percentile(latencies, 99)));
        row(md, "… all, warm-up included", allLatencies.isEmpty() ? "none routed"
                : "%,d ms / %,d ms".formatted(percentile(allLatencies, 50), percentile(allLatencies, 99)));
        row(md, "Slowest filing seconds to route, steady window (max; how many over 1 s)", slowestSeconds(windowStart));
        row(md, "Department work", "%,d accepted, %,d resolved, %,d surveys answered, %,d failed %s".formatted(
                bench.accepted(), bench.resolved(), bench.surveyed(), bench.actionFailures(),
                bench.actionFailuresByKind().isEmpty() ? "" : bench.actionFailuresByKind().toString()));
        AtomicLong overKeyRate = bench.refusedByStatus().get(429);
        if (overKeyRate != null) {
            // Open311's limit is per client address (600 a minute by default) and the bench files its Open311 share
            // (about a quarter) from one: above about 38/s offered, the limit and not the platform refuses them.
            row(md, "Refused over Open311's per-address limit", ("%,d: the bench files from one address; to offer "
                    + "more than about 38/s, start ./run.sh with CITY311_OPEN311_RATELIMIT_PERADDRESS=100000")
                    .formatted(overKeyRate.get()));
        }
        if (bench.refusedSample() != null) {
            row(md, "A refused filing", "`" + bench.refusedSample().replace("|", "\\|").replace("\n", " ")
                    .substring(0, Math.min(300, bench.refusedSample().length())) + "`");
        }
        if (steady != null) {
            row(md, "**Store commands per filed request**", "**%s** (%,d commands for %,d requests; %s writes per commit)"
                    .formatted(fmt2(steady.commandsPerRequest()), steady.totalCommands(), steady.filed(),
                            fmt2(steady.commits() == 0 ? Double.NaN : (double) steady.writes() / steady.commits())));
            StringBuilder byDatabase = new StringBuilder();
            steady.perRequestByDatabase().forEach((database, perRequest) -> byDatabase.append(database)
                    .append(' ').append(fmt2(perRequest)).append("; "));
            row(md, "… by database", byDatabase.toString());
            StringBuilder top = new StringBuilder();
            steady.topSeries(8).forEach((series, perRequest) -> top.append('`').append(series).append("` ")
                    .append(fmt2(perRequest)).append("; "));
            row(md, "… costliest", top.toString());
            StringBuilder cpu = new StringBuilder();
            steady.cpuPercent().forEach((process, percent) -> cpu.append(process).append(' ')
                    .append(String.format(Locale.ROOT, "%.0f%%", percent)).append(", ")
                    .append(steady.rssMegabytes().getOrDefault(process, 0L)).append(" MB; "));
            row(md, "CPU (% of one core) and RSS, steady", cpu.toString());
        }
        if (ceilings != null) {
            row(md, "Ceiling: bare HTTP + store insert + Kafka send", "%s requests/s (sustained is %.1f %%)"
                    .formatted(fmt(ceilings.bareAppPerSecond()), 100 * endToEnd / ceilings.bareAppPerSecond()));
            row(md, "Ceiling: Kafka producer alone (1 KB, acks=all)", "%s records/s".formatted(
                    fmt(ceilings.kafkaProducerPerSecond())));
        }
        return md.toString();
    }

    /**
     * The five seconds of filing whose requests waited longest to be routed: whether the p99 comes from a few stalls
     * (a collection walked, a pause) or from the whole window.
     */
    private String slowestSeconds(double fromSecond) {
        Map<Long, long[]> bySecond = new TreeMap<>();
        for (double[] latency : bench.routeLatencies()) {
            if (latency[0] >= fromSecond) {
                long[] slowest = bySecond.computeIfAbsent((long) latency[0], second -> new long[2]);
                slowest[0] = Math.max(slowest[0], (long) latency[1]);
                slowest[1] += latency[1] > 1000 ? 1 : 0;
            }
        }
        long overOneSecond = bySecond.values().stream().mapToLong(slowest -> slowest[1]).sum();
        StringBuilder text = new StringBuilder();
        bySecond.entrySet().stream()
                .sorted(Map.Entry.<Long, long[]>comparingByValue(
                        Comparator.comparingLong(slowest -> -slowest[0])))
                .limit(5).forEach(second -> text.append("at %,d s: %,d ms (%d); ".formatted(second.getKey(),
                        second.getValue()[0], second.getValue()[1])));
        return text + "%,d requests over 1 s in all".formatted(overOneSecond);
    }

    /** The last sample at or before a second of the run (the first if none). */
    private StormBench.Sample at(double second) {
        StormBench.Sample found = samples.isEmpty() ? new StormBench.Sample(0, 0, 0, 0, 0) : samples.get(0);
        for (StormBench.Sample sample : samples) {
            if (sample.second() <= second) {
                found = sample;
            }
        }
        return found;
    }

    private void chart(Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int width = 1000;
        int height = 640;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        List<double[]> rates = new ArrayList<>();
        for (int i = 1; i < samples.size(); i++) {
            StormBench.Sample a = samples.get(Math.max(0, i - 5));
            StormBench.Sample b = samples.get(i);
            double dt = Math.max(1e-9, b.second() - a.second());
            rates.add(new double[] { b.second(), (b.filed() - a.filed()) / dt, (b.routed() - a.routed()) / dt,
                (b.counted() - a.counted()) / dt, b.identified() - b.routed(), b.filed() - b.counted() });
        }
        panel(g, rates, 60, 30, width - 90, 250, "requests/s (5 s average)", new int[] { 1, 2, 3 });
        panel(g, rates, 60, 350, width - 90, 250, "backlog (requests)", new int[] { 4, 5 });
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static final String[] SERIES = { "", "filed", "routed", "counted", "not yet routed", "not yet counted" };
    private static final Color[] COLORS = { Color.BLACK, new Color(0x1f77b4), new Color(0xff7f0e),
        new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x2ca02c) };

    private static void panel(Graphics2D g, List<double[]> rows, int x, int y, int w, int h, String title,
            int[] columns) {
        double maxX = rows.stream().mapToDouble(r -> r[0]).max().orElse(1);
        double maxY = 1;
        for (int column : columns) {
            maxY = Math.max(maxY, rows.stream().mapToDouble(r -> r[column]).max().orElse(1));
        }
        g.setColor(Color.DARK_GRAY);
        g.drawString(title, x, y - 8);
        g.drawRect(x, y, w, h);
        g.drawString(String.format(Locale.ROOT, "%.0f", maxY), x - 45, y + 12);
        g.drawString("0", x - 15, y + h);
        g.drawString(String.format(Locale.ROOT, "%.0f s", maxX), x + w - 40, y + h + 16);
        int legend = x + 10;
        for (int column : columns) {
            g.setColor(COLORS[column]);
            g.setStroke(new BasicStroke(2f));
            int previousX = -1;
            int previousY = -1;
            for (double[] row : rows) {
                int px = x + (int) (row[0] / maxX * w);
                int py = Math.max(y, Math.min(y + h, y + h - (int) (row[column] / maxY * h)));
                if (previousX >= 0) {
                    g.drawLine(previousX, previousY, px, py);
                }
                previousX = px;
                previousY = py;
            }
            g.drawString(SERIES[column], legend, y + 18);
            legend += 140;
        }
    }

    private static void row(StringBuilder md, String figure, String value) {
        md.append("| ").append(figure).append(" | ").append(value).append(" |\n");
    }

    /** The p-th percentile of microseconds sorted ascending, in milliseconds; NaN when there are none. */
    static double percentileMillis(long[] sortedMicros, int p) {
        if (sortedMicros.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sortedMicros.length) - 1;
        return sortedMicros[Math.max(0, index)] / 1000.0;
    }

    static long percentile(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, value >= 100 ? "%,.0f" : "%.1f", value);
    }

    private static String fmt2(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
