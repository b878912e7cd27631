package org.city311.deploy.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The console under load, as people use it: {@code concurrency} signed-in people (call-takers and the agents of
 * one department, each with their own session, signed in through the local provider's form) load its pages in
 * turn, each sending the next when the last arrived ({@code --think 0}, a closed loop: the machine's capacity) or
 * after a pause of that many milliseconds on average (uniform from none to twice that: people reading a page before
 * the next click). Prints p50/p95/p99 and bytes per page, pages a second, and the answers other than 200 by page
 * and status (the public tracking page answers 429 past its per-address rate, and every bench person shares one
 * address); asserts nothing.
 * {@code --seed N} first files N requests for the department's service (through request-service, with the dev
 * staff token), so the queue and searches have history to page through.
 */
public final class ConsoleBench {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"|value=\"([^\"]+)\"[^>]*name=\"_csrf\"");

    private ConsoleBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Options.parse(args, 0);
        String console = options.getOrDefault("console", "http://localhost:8085");
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "30"));
        int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "20"));
        int seed = Integer.parseInt(options.getOrDefault("seed", "0"));
        long thinkMillis = Long.parseLong(options.getOrDefault("think", "0"));
        String department = options.getOrDefault("department", "transportation");
        Properties users = properties(Path.of(options.getOrDefault("users", "var/dev-users.env")));
        Properties tokens = properties(Path.of(options.getOrDefault("tokens", "var/dev-tokens.env")));
        if (seed > 0) {
            seed(options.getOrDefault("request-service", "http://localhost:8081"), tokens.getProperty("STAFF_TOKEN"),
                    seed);
        }
        String staffLogin = users.getProperty("STAFF_LOGIN");
        String agentLogin = users.getProperty("AGENT_LOGIN_" + department.toUpperCase().replace('-', '_'));
        List<Map<String, String>> sessions = new ArrayList<>();
        for (int person = 0; person < concurrency; person++) {
            sessions.add(signIn(console, person % 2 == 0 ? staffLogin : agentLogin));
        }
        String someRequest = firstRequestOnQueue(console, sessions.get(1), department);
        Map<String, String> staffPages = new LinkedHashMap<>();
        staffPages.put("/call", "/call");
        staffPages.put("/my", "/my");
        staffPages.put("/requests (search)", "/requests?q=light");
        staffPages.put("/levels", "/levels");
        staffPages.put("/departments/{code} (public)", "/departments/" + department);
        if (someRequest != null) {
            staffPages.put("/requests/{id}", "/requests/" + someRequest);
            staffPages.put("/track/{id} (public)", "/track/" + someRequest);
        }
        Map<String, String> agentPages = new LinkedHashMap<>();
        agentPages.put("/queue", "/queue");
        agentPages.put("/queue/items (refresh)", "/queue/items?department=" + department + "&view=all");
        agentPages.put("/levels", "/levels");
        if (someRequest != null) {
            agentPages.put("/requests/{id}", "/requests/" + someRequest);
        }

        // Warm up: each page once per session.
        for (int person = 0; person < concurrency; person++) {
            for (String path : (person % 2 == 0 ? staffPages : agentPages).values()) {
                get(console + path, sessions.get(person));
            }
        }
        Map<String, ConcurrentLinkedQueue<Long>> latencies = new ConcurrentHashMap<>();
        Map<String, AtomicLong> bytes = new ConcurrentHashMap<>();
        AtomicLong errors = new AtomicLong();
        Map<String, AtomicLong> errorsByPage = new ConcurrentHashMap<>();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        CountDownLatch done = new CountDownLatch(concurrency);
        for (int person = 0; person < concurrency; person++) {
            Map<String, String> cookies = sessions.get(person);
            List<Map.Entry<String, String>> pages = new ArrayList<>(
                    (person % 2 == 0 ? staffPages : agentPages).entrySet());
            AtomicInteger next = new AtomicInteger(person);
            Thread client = new Thread(() -> {
                try {
                    if (thinkMillis > 0) {
                        // (people do not all click at the same moment)
                        Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(2 * thinkMillis + 1));
                    }
                    while (System.nanoTime() < end) {
                        Map.Entry<String, String> page = pages.get(next.getAndIncrement() % pages.size());
                        long sent = System.nanoTime();
                        try {
                            HttpResponse<byte[]> response = get(console + page.getValue(), cookies);
                            if (response.statusCode() == 200) {
                                latencies.computeIfAbsent(page.getKey(), key -> new ConcurrentLinkedQueue<>())
                                        .add((System.nanoTime() - sent) / 1000);
                                bytes.computeIfAbsent(page.getKey(), key -> new AtomicLong())
                                        .set(response.body().length);
                            }
                            else {
                                errors.incrementAndGet();
                                errorsByPage.computeIfAbsent(page.getKey() + " " + response.statusCode(),
                                        key -> new AtomicLong()).incrementAndGet();
                            }
                        }
                        catch (IOException failed) {
                            errors.incrementAndGet();
                            errorsByPage.computeIfAbsent(page.getKey() + " " + failed.getClass().getSimpleName(),
                                    key -> new AtomicLong()).incrementAndGet();
                        }
                        if (thinkMillis > 0) {
                            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(2 * thinkMillis + 1));
                        }
                    }
                }
                catch (InterruptedException stopped) {
                    Thread.currentThread().interrupt();
                }
                finally {
                    done.countDown();
                }
            }, "console-bench");
            client.setDaemon(true);
            client.start();
        }
        done.await();
        System.out.printf("console pages, %d signed-in people (half call-takers, half %s agents), %d s, %s; "
                + "errors %d%s%n", concurrency, department, seconds, thinkMillis > 0
                        ? "each pausing " + thinkMillis + " ms on average between pages" : "closed loop",
                errors.get(), errorsByPage.isEmpty() ? "" : " " + new java.util.TreeMap<>(errorsByPage));
        System.out.printf("%-30s %8s %9s %9s %9s %10s%n", "page", "answers", "p50 ms", "p95 ms", "p99 ms", "bytes");
        List<Long> all = new ArrayList<>();
        latencies.forEach((page, values) -> {
            long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
            for (long value : sorted) {
                all.add(value);
            }
            System.out.printf("%-30s %8d %9.1f %9.1f %9.1f %10d%n", page, sorted.length,
                    Report.percentileMillis(sorted, 50),
                    Report.percentileMillis(sorted, 95), Report.percentileMillis(sorted, 99),
                    bytes.get(page).get());
        });
        long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("%-30s %8d %9.1f %9.1f %9.1f%n", "all pages", sorted.length,
                Report.percentileMillis(sorted, 50),
                Report.percentileMillis(sorted, 95), Report.percentileMillis(sorted, 99));
        System.out.printf("%.1f pages a second answered%n", sorted.length / (double) seconds);
    }

    /** Signs in through the console as a browser does: to the provider's form and back, keeping the cookies. */
    static Map<String, String> signIn(String console, String login) throws IOException, InterruptedException {
        if (login == null || !login.contains(":")) {
            throw new IllegalStateException("No such user in the users file (var/dev-users.env): start ./run.sh");
        }
        Map<String, String> cookies = new ConcurrentHashMap<>();
        String location = console + "/my";
        HttpResponse<byte[]> response = null;
        for (int hop = 0; hop < 10; hop++) {
            response = get(location, cookies);
            String next = response.headers().firstValue("Location").orElse(null);
            if (next == null) {
                break;
            }
            location = URI.create(location).resolve(next).toString();
        }
        String form = new String(response.body(), StandardCharsets.UTF_8);
        Matcher csrf = CSRF.matcher(form);
        String[] user = login.split(":", 2);
        String body = "username=" + encode(user[0]) + "&password=" + encode(user[1])
                + (csrf.find() ? "&_csrf=" + encode(csrf.group(1) != null ? csrf.group(1) : csrf.group(2)) : "");
        URI loginPage = URI.create(location);
        HttpRequest post = HttpRequest.newBuilder(loginPage.resolve("/login")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", cookieHeader(cookies))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        response = HTTP.send(post, HttpResponse.BodyHandlers.ofByteArray());
        keep(response, cookies);
        location = loginPage.resolve(response.headers().firstValue("Location").orElse("/")).toString();
        for (int hop = 0; hop < 10; hop++) {
            response = get(location, cookies);
            String next = response.headers().firstValue("Location").orElse(null);
            if (next == null) {
                break;
            }
            location = URI.create(location).resolve(next).toString();
        }
        if (response.statusCode() != 200 || !location.startsWith(console)) {
            throw new IllegalStateException("Sign-in as " + user[0] + " ended at " + location + " with "
                    + response.statusCode());
        }
        return cookies;
    }

    private static String firstRequestOnQueue(String console, Map<String, String> agent, String department)
            throws IOException, InterruptedException {
        String page = new String(get(console + "/queue/items?department=" + department + "&view=all", agent).body(),
                StandardCharsets.UTF_8);
        Matcher id = Pattern.compile("311-\\d{8}").matcher(page);
        return id.find() ? id.group() : null;
    }

    /**
     * A GET with this session's cookies (all of them, whatever their Secure flag: the bench talks plain HTTP to
     * localhost, as a browser may), keeping the ones the answer sets.
     */
    static HttpResponse<byte[]> get(String url, Map<String, String> cookies) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Accept", "text/html");
        if (!cookies.isEmpty()) {
            request.header("Cookie", cookieHeader(cookies));
        }
        HttpResponse<byte[]> response = HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        keep(response, cookies);
        return response;
    }

    private static void keep(HttpResponse<?> response, Map<String, String> cookies) {
        for (String setCookie : response.headers().allValues("Set-Cookie")) {
            String pair = setCookie.split(";", 2)[0];
            int equals = pair.indexOf('=');
            if (equals > 0) {
                cookies.put(pair.substring(0, equals).strip(), pair.substring(equals + 1).strip());
            }
        }
    }

    private static String cookieHeader(Map<String, String> cookies) {
        StringBuilder header = new StringBuilder();
        cookies.forEach((name, value) -> header.append(header.isEmpty() ? "" : "; ").append(name).append('=')
                .append(value));
        return header.toString();
    }

    /** Files requests for a streetlight through request-service, 16 at a time, so the queue has work to page. */
    private static void seed(String requestService, String token, int count) throws InterruptedException {
        if (token == null) {
            throw new IllegalStateException("No STAFF_TOKEN in var/dev-tokens.env: start ./run.sh");
        }
        AtomicInteger left = new AtomicInteger(count);
        AtomicLong failed = new AtomicLong();
        CountDownLatch done = new CountDownLatch(16);
        long start = System.nanoTime();
        for (int worker = 0; worker < 16; worker++) {
            Thread filer = new Thread(() -> {
                try {
                    while (left.getAndDecrement() > 0) {
                        double latitude = 40.70 + Math.random() * 0.1;
                        double longitude = -74.01 + Math.random() * 0.1;
                        String body = "{\"serviceCode\":\"streetlight-out\",\"channel\":\"phone\",\"description\":"
                                + "\"Street light dark (bench)\",\"attributes\":{\"light-condition\":\"out\"},"
                                + "\"location\":{\"address\":\"" + (int) (Math.random() * 900) + " Broadway\","
                                + "\"latitude\":" + latitude + ",\"longitude\":" + longitude + "}}";
                        try {
                            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(
                                    URI.create(requestService + "/api/requests")).timeout(Duration.ofSeconds(30))
                                    .header("Authorization", "Bearer " + token)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                    HttpResponse.BodyHandlers.discarding());
                            if (response.statusCode() != 201) {
                                failed.incrementAndGet();
                            }
                        }
                        catch (IOException | InterruptedException error) {
                            failed.incrementAndGet();
                        }
                    }
                }
                finally {
                    done.countDown();
                }
            }, "console-bench-seed");
            filer.setDaemon(true);
            filer.start();
        }
        done.await();
        System.out.printf("seeded %d requests in %.0f s (%d failed)%n", count,
                (System.nanoTime() - start) / 1e9, failed.get());
    }

    private static Properties properties(Path file) throws IOException {
        Properties properties = new Properties();
        if (Files.exists(file)) {
            try (var reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            }
        }
        return properties;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
