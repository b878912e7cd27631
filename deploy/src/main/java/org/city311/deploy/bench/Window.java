package org.city311.deploy.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A steady stretch of a bench run: what the local store served in it (from its command counters) and what each
 * process of the local run spent (CPU time from {@code /proc}), to divide by the requests filed in it.
 */
final class Window {

    /** The local run's processes, by what their command line names. */
    static final Map<String, String> PROCESSES = processes("request-service", "request-service.jar",
            "routing-service", "routing-service.jar", "feedback-service", "feedback-service.jar", "metrics-service",
            "metrics-service.jar", "console", "console.jar", "store", "MongoWireStore", "kafka", "kafka.Kafka");
    /** Linux's clock ticks per second for {@code /proc/<pid>/stat} times (USER_HZ, 100 on every mainstream arch). */
    private static final double TICKS_PER_SECOND = 100;

    private final long startNanos;
    private final long filedAtStart;
    private final Map<String, Long> store;
    private final Map<String, Long> cpuTicks;

    private Window(long startNanos, long filedAtStart, Map<String, Long> store, Map<String, Long> cpuTicks) {
        this.startNanos = startNanos;
        this.filedAtStart = filedAtStart;
        this.store = store;
        this.cpuTicks = cpuTicks;
    }

    static Window open(String storeMetrics, long filed) {
        return new Window(System.nanoTime(), filed, storeCounters(storeMetrics), cpuTicks());
    }

    /**
     * @param commands every command the store served in the window, by series (database, collection, command)
     * @param cpuPercent each process's CPU over the window, in % of one core
     * @param rssMegabytes each process's resident memory at the end
     */
    record Closed(double seconds, long filed, Map<String, Long> commands, long writes, long commits,
            Map<String, Double> cpuPercent, Map<String, Long> rssMegabytes) {

        long totalCommands() {
            return commands.values().stream().mapToLong(Long::longValue).sum();
        }

        double commandsPerRequest() {
            return filed == 0 ? Double.NaN : (double) totalCommands() / filed;
        }

        /** Commands per filed request by database (one per service), largest first. */
        Map<String, Double> perRequestByDatabase() {
            Map<String, Long> byDatabase = new TreeMap<>();
            commands.forEach((series, count) -> byDatabase.merge(label(series, "database"), count, Long::sum));
            Map<String, Double> sorted = new LinkedHashMap<>();
            byDatabase.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(entry -> sorted.put(entry.getKey(), (double) entry.getValue() / Math.max(1, filed)));
            return sorted;
        }

        /** The series costing most, per filed request. */
        Map<String, Double> topSeries(int limit) {
            Map<String, Double> top = new LinkedHashMap<>();
            commands.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(limit)
                    .forEach(entry -> top.put(label(entry.getKey(), "database") + "."
                            + label(entry.getKey(), "collection") + " " + label(entry.getKey(), "command"),
                            (double) entry.getValue() / Math.max(1, filed)));
            return top;
        }
    }

    Closed close(String storeMetrics, long filed) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Long> storeNow = storeCounters(storeMetrics);
        Map<String, Long> commands = new TreeMap<>();
        storeNow.forEach((series, count) -> {
            if (series.startsWith("mongo_wire_store_commands_total{")) {
                long delta = count - store.getOrDefault(series, 0L);
                if (delta > 0) {
                    commands.put(series, delta);
                }
            }
        });
        Map<String, Long> ticksNow = cpuTicks();
        Map<String, Double> cpu = new LinkedHashMap<>();
        ticksNow.forEach((name, ticks) -> {
            Long before = cpuTicks.get(name);
            if (before != null) {
                cpu.put(name, 100 * (ticks - before) / TICKS_PER_SECOND / seconds);
            }
        });
        return new Closed(seconds, filed - filedAtStart, commands,
                storeNow.getOrDefault("mongo_wire_store_writes_total", 0L) - store.getOrDefault(
                        "mongo_wire_store_writes_total", 0L),
                storeNow.getOrDefault("mongo_wire_store_commits_total", 0L) - store.getOrDefault(
                        "mongo_wire_store_commits_total", 0L),
                cpu, rssMegabytes());
    }

    static Map<String, Long> storeCounters(String url) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .build(), HttpResponse.BodyHandlers.ofString());
            Map<String, Long> counters = new TreeMap<>();
            for (String line : response.body().split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    int space = line.lastIndexOf(' ');
                    counters.put(line.substring(0, space), Long.parseLong(line.substring(space + 1).trim()));
                }
            }
            return counters;
        }
        catch (IOException e) {
            throw new IllegalStateException("The local store's counters (" + url + ") did not answer: the bench "
                    + "needs the Mongo-wire store that ./run.sh starts (" + e.getMessage() + ")", e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String label(String series, String name) {
        int at = series.indexOf(name + "=\"");
        if (at < 0) {
            return "";
        }
        int from = at + name.length() + 2;
        return series.substring(from, series.indexOf('"', from));
    }

    /** utime + stime of each named process, in clock ticks. */
    static Map<String, Long> cpuTicks() {
        Map<String, Long> ticks = new LinkedHashMap<>();
        pids().forEach((name, pid) -> {
            try {
                String stat = Files.readString(Path.of("/proc", pid, "stat"));
                // Fields after the command name, which is in parentheses and may hold spaces.
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks.put(name, Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
            }
            catch (IOException | RuntimeException e) {
                // the process ended: left out
            }
        });
        return ticks;
    }

    static Map<String, Long> rssMegabytes() {
        Map<String, Long> rss = new LinkedHashMap<>();
        pids().forEach((name, pid) -> {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        rss.put(name, Long.parseLong(line.replaceAll("\\D", "")) / 1024);
                    }
                }
            }
            catch (IOException | RuntimeException e) {
                // the process ended: left out
            }
        });
        return rss;
    }

    /** The local run's processes found in {@code /proc}, by name; none on a machine without it. */
    static Map<String, String> pids() {
        Map<String, String> pids = new LinkedHashMap<>();
        Path proc = Path.of("/proc");
        if (!Files.isDirectory(proc)) {
            return pids;
        }
        try (Stream<Path> entries = Files.list(proc)) {
            List<Path> processes = entries.filter(p -> p.getFileName().toString().matches("\\d+")).toList();
            for (Path process : processes) {
                String commandLine;
                try {
                    commandLine = new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ');
                }
                catch (IOException e) {
                    continue;
                }
                if (!commandLine.contains("java")) {
                    continue;
                }
                PROCESSES.forEach((name, marker) -> {
                    if (commandLine.contains(marker) && !commandLine.contains("org.city311.deploy.bench")) {
                        pids.putIfAbsent(name, process.getFileName().toString());
                    }
                });
            }
        }
        catch (IOException e) {
            return pids;
        }
        return pids;
    }

    private static Map<String, String> processes(String... pairs) {
        Map<String, String> processes = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            processes.put(pairs[i], pairs[i + 1]);
        }
        return processes;
    }
}
