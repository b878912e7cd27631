package org.city311.deploy.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Files requests at a steady rate while faults happen around it (see {@code faults.sh}), the way a careful client
 * does: each request has its own {@code Idempotency-Key} and is sent again until it is answered. Every
 * {@code --resolve-every}th accepted request is resolved by the department's supervisor as soon as it is routed,
 * also while the faults happen. Then it waits for every accepted request to be routed (and those resolved to show
 * resolved) and counted, and prints the figures: sent, accepted, routed, resolved, counted, lost, counted twice.
 * Exit code 0 only when nothing was lost or counted twice.
 */
public final class FaultLoad {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    /** routing-service's department actions, {@code <WORK>/{requestId}/resolve} and the like. */
    private static final String WORK = "/api/work";
    private static final Pattern DEPARTMENT = Pattern.compile("\"department\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([^\"]+)\"");

    private FaultLoad() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Options.parse(args, 0);
        String token = options.get("token");
        // the supervisors' tokens, SUPERVISOR_TOKEN_<DEPARTMENT>, from ./run.sh's var/dev-tokens.env
        Map<String, String> supervisors = options.containsKey("tokens") ? supervisorTokens(Path.of(options.get(
                "tokens"))) : Map.of();
        int resolveEvery = Integer.parseInt(options.getOrDefault("resolve-every", "4"));
        String routing = options.getOrDefault("routing-service", "http://127.0.0.1:8082");
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "150"));
        int rate = Integer.parseInt(options.getOrDefault("rate", "4"));
        String requests = options.getOrDefault("request-service", "http://127.0.0.1:8081");
        String metrics = options.getOrDefault("metrics-service", "http://127.0.0.1:8084");
        if (token == null) {
            System.err.println("usage: FaultLoad --token <staff token> [--tokens var/dev-tokens.env]"
                    + " [--resolve-every 4] [--seconds 150] [--rate 4]");
            System.exit(2);
        }

        String before = scrapeUntilUp(metrics);
        double createdBefore = sum(before, "city311_requests_created_total");
        double routedBefore = sum(before, "city311_requests_routed_total");
        double resolvedBefore = sum(before, "city311_requests_resolved_total");
        Set<String> resolved = ConcurrentHashMap.newKeySet();
        ExecutorService resolvers = Executors.newFixedThreadPool(8);
        String run = UUID.randomUUID().toString().substring(0, 8);
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger retries = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(16);
        long start = System.nanoTime();
        int total = seconds * rate;
        for (int i = 0; i < total; i++) {
            boolean resolve = !supervisors.isEmpty() && i % resolveEvery == 0;
            long due = start + TimeUnit.MILLISECONDS.toNanos(1000L * i / rate);
            Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(due - System.nanoTime())));
            String key = "faults-" + run + "-" + i;
            sent.incrementAndGet();
            clients.submit(() -> {
                // sent again until answered: a retry with the same key never files twice
                Instant giveUp = Instant.now().plus(Duration.ofMinutes(5));
                while (Instant.now().isBefore(giveUp)) {
                    try {
                        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(requests
                                        + "/api/requests"))
                                .timeout(Duration.ofSeconds(10))
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/json")
                                .header("Idempotency-Key", key)
                                .POST(HttpRequest.BodyPublishers.ofString("""
                                        {"serviceCode": "other", "channel": "phone",
                                         "description": "Fault test %s: streetlight out on the corner",
                                         "location": {"address": "1 Centre St"}}""".formatted(key)))
                                .build(), HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 201) {
                            Matcher id = ID.matcher(response.body());
                            if (id.find() && !accepted.add(id.group(1))) {
                                // two keys answered with one request: one of them was never filed
                                System.err.println("request " + id.group(1) + " answered for a second key, " + key);
                            }
                            else if (resolve) {
                                String requestId = id.group(1);
                                resolvers.submit(() -> resolveOnceRouted(requests, routing, token, supervisors,
                                        requestId, resolved));
                            }
                            return;
                        }
                        if (response.statusCode() < 500 && response.statusCode() != 429) {
                            System.err.println("refused " + key + ": " + response.statusCode() + " " + response.body());
                            return;
                        }
                    }
                    catch (Exception unreachable) {
                        // request-service is down or restarting: try again
                    }
                    retries.incrementAndGet();
                    try {
                        Thread.sleep(1000);
                    }
                    catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            });
        }
        clients.shutdown();
        clients.awaitTermination(10, TimeUnit.MINUTES);
        resolvers.shutdown();
        resolvers.awaitTermination(10, TimeUnit.MINUTES);
        System.out.printf("load done: %d sent, %d accepted, %d resolved, %d retries%n", sent.get(), accepted.size(),
                resolved.size(), retries.get());

        // every accepted request routed, and counted once
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        long routed = 0;
        double created = 0;
        double countedRouted = 0;
        long shownResolved = 0;
        double countedResolved = 0;
        Map<String, String> statuses = new HashMap<>();
        while (Instant.now().isBefore(deadline)) {
            // one read of each request per round
            accepted.forEach(id -> statuses.put(id, value(view(requests, token, id), STATUS)));
            routed = accepted.stream().filter(id -> isRouted(statuses.get(id))).count();
            shownResolved = resolved.stream().filter(id -> "resolved".equals(statuses.get(id))).count();
            String scrape = scrapeUntilUp(metrics);
            created = sum(scrape, "city311_requests_created_total") - createdBefore;
            countedRouted = sum(scrape, "city311_requests_routed_total") - routedBefore;
            countedResolved = sum(scrape, "city311_requests_resolved_total") - resolvedBefore;
            if (routed == accepted.size() && created >= accepted.size() && countedRouted >= accepted.size()
                    && shownResolved == resolved.size() && countedResolved >= resolved.size()) {
                break;
            }
            Thread.sleep(5000);
        }
        long lost = accepted.size() - routed;
        accepted.stream().filter(id -> !isRouted(statuses.get(id))).sorted()
                .forEach(id -> System.err.println("not routed: " + id));
        resolved.stream().filter(id -> !"resolved".equals(statuses.get(id))).sorted()
                .forEach(id -> System.err.println("resolved, not shown resolved: " + id));
        double twice = Math.max(0, countedRouted - accepted.size()) + Math.max(0, created - accepted.size())
                + Math.max(0, countedResolved - resolved.size());
        System.out.printf("%-28s %8d%n", "requests sent", sent.get());
        System.out.printf("%-28s %8d%n", "accepted (201)", accepted.size());
        System.out.printf("%-28s %8d%n", "routed", routed);
        System.out.printf("%-28s %8.0f%n", "counted created (metrics)", created);
        System.out.printf("%-28s %8.0f%n", "counted routed (metrics)", countedRouted);
        System.out.printf("%-28s %8d%n", "resolved", resolved.size());
        System.out.printf("%-28s %8d%n", "shown resolved", shownResolved);
        System.out.printf("%-28s %8.0f%n", "counted resolved (metrics)", countedResolved);
        System.out.printf("%-28s %8d%n", "lost", lost);
        System.out.printf("%-28s %8.0f%n", "counted twice", twice);
        boolean ok = lost == 0 && twice == 0 && created == accepted.size() && countedRouted == accepted.size()
                && accepted.size() == sent.get() && shownResolved == resolved.size()
                && countedResolved == resolved.size();
        System.out.println(ok ? "PASS" : "FAIL");
        System.exit(ok ? 0 : 1);
    }

    /** Routed, or further along: request-service has applied the routing event. */
    private static boolean isRouted(String status) {
        return status != null && !"submitted".equals(status);
    }

    /** The request as request-service shows it (JSON); null while it cannot tell. */
    private static String view(String requests, String token, String id) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(requests + "/api/requests/"
                    + id)).timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        }
        catch (Exception unreachable) {
            return null;
        }
    }

    /** The first value of a top-level string field of a view (it comes before the history's); null if none. */
    private static String value(String view, Pattern field) {
        if (view == null) {
            return null;
        }
        Matcher value = field.matcher(view);
        return value.find() ? value.group(1) : null;
    }

    private static Map<String, String> supervisorTokens(Path devTokens) throws java.io.IOException {
        Map<String, String> tokens = new HashMap<>();
        for (String line : Files.readAllLines(devTokens)) {
            if (line.startsWith("SUPERVISOR_TOKEN_") && line.contains("=")) {
                String department = line.substring("SUPERVISOR_TOKEN_".length(), line.indexOf('='))
                        .toLowerCase(java.util.Locale.ROOT).replace('_', '-');
                tokens.put(department, line.substring(line.indexOf('=') + 1).strip());
            }
        }
        return tokens;
    }

    /**
     * Waits until the request is routed, then resolves it as its department's supervisor, sending again until
     * answered; a 409 "already resolved" after an unanswered attempt means that attempt resolved it.
     */
    private static void resolveOnceRouted(String requests, String routing, String token,
            Map<String, String> supervisors, String id, Set<String> resolved) {
        Instant giveUp = Instant.now().plus(Duration.ofMinutes(5));
        try {
            String department = null;
            while (true) {
                String view = view(requests, token, id);
                if (isRouted(value(view, STATUS)) && (department = value(view, DEPARTMENT)) != null) {
                    break;
                }
                if (Instant.now().isAfter(giveUp)) {
                    return; // reported as not routed
                }
                Thread.sleep(1000);
            }
            String resolverToken = supervisors.get(department);
            if (resolverToken == null) {
                System.err.println("no supervisor token for " + department + ", the department of " + id);
                return;
            }
            boolean attempted = false;
            while (Instant.now().isBefore(giveUp)) {
                try {
                    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(routing
                                    + WORK + "/" + id + "/resolve"))
                            .timeout(Duration.ofSeconds(10))
                            .header("Authorization", "Bearer " + resolverToken)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"resolutionCode\": \"repaired\", \"note\": \"Fault test: fixed\"}"))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    boolean resolvedBefore = response.statusCode() == 409 && attempted
                            && response.body().contains("already resolved");
                    if (response.statusCode() == 200 || resolvedBefore) {
                        resolved.add(id);
                        return;
                    }
                    if (response.statusCode() < 500 && response.statusCode() != 429) {
                        System.err.println("resolve of " + id + " refused: " + response.statusCode() + " "
                                + response.body());
                        return;
                    }
                }
                catch (java.io.IOException unreachable) {
                    // routing-service is down or restarting: try again
                }
                attempted = true;
                Thread.sleep(1000);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String scrapeUntilUp(String metrics) throws InterruptedException {
        for (int attempt = 0; attempt < 120; attempt++) {
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(metrics
                        + "/actuator/prometheus")).timeout(Duration.ofSeconds(10)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return response.body();
                }
            }
            catch (Exception unreachable) {
                // metrics-service is restarting
            }
            Thread.sleep(2000);
        }
        throw new IllegalStateException("metrics-service did not answer for 4 minutes");
    }

    /** The sum of every series of a metric, across departments, channels and partitions. */
    static double sum(String scrape, String metric) {
        double total = 0;
        for (String line : scrape.split("\n")) {
            if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }
}
