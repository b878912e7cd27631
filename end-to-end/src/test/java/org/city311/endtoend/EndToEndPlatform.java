package org.city311.endtoend;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import de.bwaldvogel.mongo.MongoServer;
import org.city311.deploy.store.LocalStoreBackend;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import org.city311.platform.security.DevTokens;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole platform as ./run.sh starts it, on free ports: a real Kafka broker and Mongo-wire store, the four
 * services' jars, the local sign-in provider and the console, each a process of its own, and an SMTP server that
 * feedback-service mails its surveys to. The services check the provider's tokens (one issuer, one key), as on the
 * local run.
 * <p>
 * Started once for all the end-to-end classes of a test run ({@link Shared}) and stopped after the last: a start
 * takes most of a minute. The classes therefore share its data: each files requests of its own and reads counters
 * as differences from what it found.
 */
final class EndToEndPlatform implements AutoCloseable {

    static final Path ROOT = Path.of(System.getProperty("city311.root", "..")).toAbsolutePath().normalize();
    static final List<String> SERVICES = List.of("request-service", "routing-service", "feedback-service",
            "metrics-service");

    private final EmbeddedKafkaKraftBroker kafka;
    private final MongoServer mongo;
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Path users;
    private final Path keys;
    private final String issuer;
    private final GreenMail smtp;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private EndToEndPlatform() throws Exception {
        kafka = new EmbeddedKafkaKraftBroker(1, 3, "city311.requests", "city311.routing", "city311.feedback");
        kafka.afterPropertiesSet();
        Path work = Files.createTempDirectory("city311-console-e2e");
        mongo = new MongoServer(new LocalStoreBackend(work.resolve("store.mv").toString()));
        String mongoUri = "mongodb://127.0.0.1:" + mongo.bind().getPort();
        Path logs = Files.createDirectories(ROOT.resolve("end-to-end/target/e2e-logs"));
        keys = Files.createDirectories(work.resolve("jwt"));
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        users = work.resolve("dev-users.env");
        // All ports taken at once: one asked for after another was closed may be the same port again.
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (String name : List.of("request-service", "routing-service", "feedback-service", "metrics-service",
                    "identity-provider", "console")) {
                ServerSocket socket = new ServerSocket(0);
                held.add(socket);
                ports.put(name, socket.getLocalPort());
            }
        }
        finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
        issuer = url("identity-provider");
        String secret = "console-secret-" + System.nanoTime();
        String publicSecret = "console-public-secret-" + System.nanoTime();

        // The local key first, as ./run.sh makes it (DevTokenFile): the provider signs with it and the services check
        // it, so all five start at once; the console, which discovers the provider at start, once the provider is up.
        DevTokens.keptIn(keys);
        Map<String, String> identity = new LinkedHashMap<>();
        identity.put("PORT", String.valueOf(ports.get("identity-provider")));
        identity.put("JWT_ISSUER", issuer);
        identity.put("JWT_PRIVATE_KEY_LOCATION", keys.resolve("private.pem").toString());
        identity.put("DEV_USERS_FILE", users.toString());
        identity.put("CATALOG_LOCATION", ROOT.resolve("routing-service/src/main/resources/catalog/sample-city.yml")
                .toString());
        identity.put("CONSOLE_URL", url("console"));
        identity.put("CONSOLE_CLIENT_SECRET", secret);
        identity.put("CONSOLE_PUBLIC_CLIENT_SECRET", publicSecret);
        start("identity-provider", "-Xmx128m", identity, logs);

        for (String service : SERVICES) {
            Map<String, String> environment = new LinkedHashMap<>();
            environment.put("SERVER_PORT", String.valueOf(ports.get(service)));
            environment.put("KAFKA_BOOTSTRAP_SERVERS", kafka.getBrokersAsString());
            environment.put("MONGODB_URI", mongoUri);
            environment.put("JWT_PUBLIC_KEY_LOCATION", keys.resolve("public.pem").toUri().toString());
            environment.put("JWT_ISSUER", issuer);
            if (service.equals("request-service")) {
                // the console forwards each visitor's address for the public tracking's rate limit
                environment.put("TRUSTED_PROXIES", "127.0.0.1/32");
            }
            if (service.equals("feedback-service")) {
                // surveys by e-mail, to a real SMTP server, with the resident's address asked of request-service
                // under feedback-service's own identity, signed with the local key as ./run.sh has it do
                environment.put("SURVEYS_BASE_URL", url(service));
                environment.put("MAIL_ENABLED", "true");
                environment.put("MAIL_HOST", "127.0.0.1");
                environment.put("MAIL_PORT", String.valueOf(smtp.getSmtp().getPort()));
                environment.put("MAIL_STARTTLS", "false");
                environment.put("REQUEST_SERVICE_URL", url("request-service"));
                environment.put("JWT_PRIVATE_KEY_LOCATION", keys.resolve("private.pem").toString());
            }
            if (service.equals("routing-service")) {
                // a knowledge check required every year: whoever never took one is reminded
                environment.put("QUIZ_REQUIRED_EVERY", "365d");
            }
            start(service, "-Xmx256m", environment, logs);
        }
        awaitHealthy(List.of("identity-provider"));
        Map<String, String> console = new LinkedHashMap<>();
        console.put("SERVER_PORT", String.valueOf(ports.get("console")));
        console.put("OIDC_ISSUER_URI", issuer);
        console.put("CONSOLE_CLIENT_SECRET", secret);
        console.put("CONSOLE_PUBLIC_CLIENT_SECRET", publicSecret);
        console.put("REQUEST_SERVICE_URL", url("request-service"));
        console.put("ROUTING_SERVICE_URL", url("routing-service"));
        console.put("FEEDBACK_SERVICE_URL", url("feedback-service"));
        console.put("METRICS_SERVICE_URL", url("metrics-service"));
        start("console", "-Xmx192m", console, logs);
        awaitHealthy(List.copyOf(processes.keySet()));
        awaitCatalogAtIntake();
    }

    /**
     * Healthy is not ready for a call: request-service takes the catalog from routing-service's topic, and a
     * consumer binding that lost the race to create that topic is retried 30 s later (seen in a full verify: every
     * browser test failed after the first filing found no catalog).
     */
    private void awaitCatalogAtIntake() {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            HttpResponse<String> services = http.send(HttpRequest.newBuilder(
                    URI.create(url("request-service") + "/open311/v2/services.json")).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(services.statusCode()).as("request-service's services list").isEqualTo(200);
            assertThat(services.body()).contains("streetlight-out");
        });
    }

    /** The address the browser uses: localhost, which a browser trusts with Secure cookies over plain HTTP. */
    String url(String name) {
        return "http://localhost:" + ports.get(name);
    }

    /** The SMTP server feedback-service mails surveys to. */
    GreenMail smtp() {
        return smtp;
    }

    /**
     * Tokens signed with the provider's key and naming its issuer, as {@code ./run.sh}'s dev tokens do: for the
     * classes that call the services' APIs as curl would.
     */
    DevTokens tokens() throws Exception {
        return DevTokens.signingWith(keys.resolve("private.pem")).issuing(issuer, DevTokens.LOCAL_AUDIENCE);
    }

    /** A sign-in of var/dev-users.env, as {@code {username, password}}: {@code login("AGENT_LOGIN_TRANSPORTATION")}. */
    String[] login(String variable) throws IOException {
        Properties lines = new Properties();
        try (var reader = Files.newBufferedReader(users)) {
            lines.load(reader);
        }
        String value = lines.getProperty(variable);
        assertThat(value).as(variable + " in the users file").isNotNull().contains(":");
        return value.split(":", 2);
    }

    private void start(String name, String heap, Map<String, String> environment, Path logs) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("java", heap, "-XX:TieredStopAtLevel=1", "-jar",
                ROOT.resolve(name + "/target/" + name + ".jar").toString())
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(logs.resolve(name + ".log").toFile());
        builder.environment().putAll(environment);
        processes.put(name, builder.start());
    }

    private void awaitHealthy(List<String> names) {
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
                .ignoreException(java.net.ConnectException.class).untilAsserted(() -> {
                    for (String name : names) {
                        assertThat(processes.get(name).isAlive())
                                .as(name + " is running (see end-to-end/target/e2e-logs)").isTrue();
                        HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                                URI.create(url(name) + "/actuator/health")).timeout(Duration.ofSeconds(5)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        assertThat(health.body()).as(name).contains("\"UP\"");
                    }
                });
    }

    @Override
    public void close() throws InterruptedException {
        List<Process> running = new ArrayList<>(processes.values());
        running.forEach(Process::destroy);
        for (Process process : running) {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        mongo.shutdownNow();
        smtp.stop();
        kafka.destroy();
    }

    /**
     * Gives an end-to-end class's {@code @BeforeAll} the one platform of the test run: started by the first class
     * that asks, closed by JUnit when the run ends (the root store closes what it holds).
     */
    static final class Shared implements ParameterResolver {

        private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Shared.class);

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == EndToEndPlatform.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot().getStore(NAMESPACE).computeIfAbsent(EndToEndPlatform.class, key -> {
                try {
                    return new EndToEndPlatform();
                }
                catch (Exception ex) {
                    throw new IllegalStateException("the platform did not start (see end-to-end/target/e2e-logs)", ex);
                }
            }, EndToEndPlatform.class);
        }
    }
}
