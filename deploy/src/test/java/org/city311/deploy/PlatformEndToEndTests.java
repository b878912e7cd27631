package org.city311.deploy;

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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import de.bwaldvogel.mongo.MongoServer;
import org.city311.deploy.store.LocalStoreBackend;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.city311.platform.security.DevTokens;
import org.city311.platform.security.Role;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole request lifecycle through the four services' public APIs: their real jars, as separate processes, on
 * one real Kafka broker (embedded KRaft) and one Mongo-wire store, exactly as {@code ./run.sh} wires them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformEndToEndTests {

    /** routing-service's department actions on a request: {@code <WORK>/{requestId}/<action>}. */
    private static final String WORK = "/api/work";

    private static final Path ROOT = Path.of(System.getProperty("city311.root", "..")).toAbsolutePath().normalize();
    private static final List<String> SERVICES = List.of("request-service", "routing-service", "feedback-service",
            "metrics-service");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static EmbeddedKafkaKraftBroker kafka;
    private static MongoServer mongo;
    private static final Map<String, Integer> ports = new LinkedHashMap<>();
    private static final List<Process> processes = new ArrayList<>();
    private static String token;
    private static GreenMail smtp;

    @BeforeAll
    static void startPlatform() throws Exception {
        kafka = new EmbeddedKafkaKraftBroker(1, 3, "city311.requests", "city311.routing", "city311.feedback");
        kafka.afterPropertiesSet();
        Path store = Files.createTempDirectory("city311-e2e").resolve("store.mv");
        mongo = new MongoServer(new LocalStoreBackend(store.toString()));
        String mongoUri = "mongodb://127.0.0.1:" + mongo.bind().getPort();
        Path logs = Files.createDirectories(ROOT.resolve("deploy/target/e2e-logs"));
        // tokens signed by a key of this run, as ./run.sh makes them: one caller who files, works transportation's
        // requests and takes feedback
        Path keys = Files.createTempDirectory("city311-e2e-jwt");
        DevTokens tokens = DevTokens.keptIn(keys);
        token = "Bearer " + tokens.mint("e2e.staff", "transportation", Role.STAFF, Role.AGENT);
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        // All ports taken at once: one asked for after another was closed may be the same port again.
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (String service : SERVICES) {
                ServerSocket socket = new ServerSocket(0);
                held.add(socket);
                ports.put(service, socket.getLocalPort());
            }
        }
        finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
        for (String service : SERVICES) {
            int port = ports.get(service);
            ProcessBuilder builder = new ProcessBuilder("java", "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar",
                    ROOT.resolve(service + "/target/" + service + ".jar").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(logs.resolve(service + ".log").toFile());
            builder.environment().put("SERVER_PORT", String.valueOf(port));
            builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", kafka.getBrokersAsString());
            builder.environment().put("MONGODB_URI", mongoUri);
            builder.environment().put("JWT_PUBLIC_KEY_LOCATION", keys.resolve("public.pem").toUri().toString());
            if (service.equals("feedback-service")) {
                // surveys by e-mail, to a real SMTP server, with the resident's address asked of request-service
                // under feedback-service's own identity, signed with the local key as ./run.sh has it do
                builder.environment().put("MAIL_ENABLED", "true");
                builder.environment().put("MAIL_HOST", "127.0.0.1");
                builder.environment().put("MAIL_PORT", String.valueOf(smtp.getSmtp().getPort()));
                builder.environment().put("MAIL_STARTTLS", "false");
                builder.environment().put("REQUEST_SERVICE_URL", "http://127.0.0.1:" + ports.get("request-service"));
                builder.environment().put("JWT_PRIVATE_KEY_LOCATION", keys.resolve("private.pem").toString());
                builder.environment().put("SURVEYS_BASE_URL", "http://127.0.0.1:" + port);
            }
            processes.add(builder.start());
        }
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).ignoreException(java.net.ConnectException.class).untilAsserted(() -> {
            for (String service : SERVICES) {
                assertThat(processes.get(SERVICES.indexOf(service)).isAlive())
                        .as(service + " is running (see deploy/target/e2e-logs)").isTrue();
                assertThat(get(service, "/actuator/health").path("status").asString()).as(service).isEqualTo("UP");
            }
        });
    }

    @AfterAll
    static void stopPlatform() throws InterruptedException {
        processes.forEach(Process::destroy);
        for (Process process : processes) {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        if (mongo != null) {
            mongo.shutdownNow();
        }
        if (smtp != null) {
            smtp.stop();
        }
        if (kafka != null) {
            kafka.destroy();
        }
    }

    @Test
    @Order(1)
    void shouldCarryARequestFromIntakeThroughRoutingResolutionAndFeedbackIntoTheDashboards() throws Exception {
        // given a call-centre agent filing a street light report for a resident, once request-service has the
        // catalog routing-service published
        String report = """
                {"serviceCode": "streetlight-out", "description": "Light out since Monday", "channel": "phone",
                 "location": {"address": "12 Main St", "latitude": 40.7128, "longitude": -74.0060},
                 "resident": {"firstName": "Ana", "lastName": "Diaz", "phone": "212-555-0100", "consentToContact": true},
                 "attributes": {"light-condition": "out"}}
                """;
        String missingTheRequiredAttribute = "{\"serviceCode\": \"streetlight-out\", \"channel\": \"phone\","
                + " \"location\": {\"address\": \"12 Main St\"}}";
        await().atMost(Duration.ofSeconds(30)).until(() -> post("request-service", "/api/requests",
                missingTheRequiredAttribute).statusCode() == 422);
        HttpResponse<String> filed = post("request-service", "/api/requests", report);
        assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
        String id = JSON.readTree(filed.body()).path("id").asString();
        assertThat(filed.headers().firstValue("Location")).hasValue("/api/requests/" + id);

        // then staff see it routed to Transportation within seconds
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonNode request = get("request-service", "/api/requests/" + id);
            assertThat(request.path("status").asString()).isEqualTo("routed");
            assertThat(request.path("department").asString()).isEqualTo("transportation");
        });
        assertThat(get("routing-service", "/api/departments/transportation/queue").toString()).contains(id);

        // when Transportation resolves it
        HttpResponse<String> resolved = post("routing-service", WORK + "/" + id + "/resolve",
                "{\"resolutionCode\": \"fixed\", \"note\": \"Lamp replaced\"}");
        assertThat(resolved.statusCode()).isEqualTo(200);

        // then staff see it resolved, with the whole timeline
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                get("request-service", "/api/requests/" + id).path("status").asString()).isEqualTo("resolved"));
        List<String> steps = new ArrayList<>();
        get("request-service", "/api/requests/" + id).path("history")
                .forEach(step -> steps.add(step.path("status").asString()));
        assertThat(steps).containsExactly("submitted", "routed", "resolved");

        // when the resident tells the call centre how it went
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(post("feedback-service", "/api/feedback",
                "{\"requestId\": \"" + id + "\", \"satisfaction\": 5, \"source\": \"phone\", \"resolved\": true}")
                .statusCode()).isEqualTo(201));

        // then the confirmation closes the request, and staff see the feedback and the closing in its timeline
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                get("request-service", "/api/requests/" + id).path("status").asString()).isEqualTo("closed"));
        List<String> kinds = new ArrayList<>();
        get("request-service", "/api/requests/" + id).path("history")
                .forEach(step -> kinds.add(step.path("kind").asString()));
        assertThat(kinds).contains("feedback-received").endsWith("closed");
        // and the resolution produced exactly one survey invitation
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                get("feedback-service", "/api/surveys?requestId=" + id).size()).isEqualTo(1));

        // then the operations dashboard counts it once in each step, for the right department (in the partition
        // of the request's key), with the resolution within its standard and nothing left open
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(scrape("metrics-service"))
                .containsPattern("city311_requests_created_total\\{channel=\"phone\",partition=\"\\d+\",segment=\"resident\"} 1.0")
                .containsPattern("city311_requests_routed_total\\{department=\"transportation\",partition=\"\\d+\"} 1.0")
                .containsPattern("city311_requests_resolved_total\\{department=\"transportation\",partition=\"\\d+\",segment=\"resident\"} 1.0")
                .containsPattern("city311_requests_resolved_within_standard_total\\{department=\"transportation\",partition=\"\\d+\"} 1.0")
                .containsPattern("city311_requests_open\\{department=\"transportation\",partition=\"\\d+\"} 0.0")
                .containsPattern("city311_feedback_received_total\\{department=\"transportation\",partition=\"\\d+\",source=\"phone\"} 1.0"));
    }

    @Test
    @Order(2)
    void shouldEmailTheResidentASurveyWhoseLinkOpensItAndTakesTheirAnswers() throws Exception {
        // given a request filed for a resident who gave an e-mail address and agreed to be contacted
        String report = """
                {"serviceCode": "streetlight-out", "description": "Flickering all night", "channel": "phone",
                 "location": {"address": "40 Main St"},
                 "resident": {"firstName": "Bo", "lastName": "Chen", "email": "bo.chen@example.net",
                              "consentToContact": true},
                 "attributes": {"light-condition": "flickering"}}
                """;
        HttpResponse<String> filed = post("request-service", "/api/requests", report);
        assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
        String id = JSON.readTree(filed.body()).path("id").asString();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                get("request-service", "/api/requests/" + id).path("status").asString()).isEqualTo("routed"));

        // when Transportation resolves it
        assertThat(post("routing-service", WORK + "/" + id + "/resolve",
                "{\"resolutionCode\": \"fixed\", \"note\": \"Ballast replaced\"}").statusCode()).isEqualTo(200);

        // then the resident gets one e-mail asking how it went, with a link
        await().atMost(Duration.ofSeconds(60)).until(() -> smtp.getReceivedMessages().length > 0);
        MimeMessage mail = smtp.getReceivedMessages()[0];
        assertThat(mail.getAllRecipients()).extracting(Object::toString).containsExactly("bo.chen@example.net");
        assertThat(mail.getSubject()).contains(id);
        Matcher link = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/surveys/[A-Za-z0-9_-]{43}")
                .matcher(GreenMailUtil.getBody(mail));
        assertThat(link.find()).as(GreenMailUtil.getBody(mail)).isTrue();

        // and the link opens the survey, which takes the resident's answers
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(link.group())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains(id);
        HttpResponse<String> answered = HTTP.send(HttpRequest.newBuilder(URI.create(link.group()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("satisfaction=5&resolved=yes")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
        // the resident's confirmation closes it, and the survey is counted as one
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                get("request-service", "/api/requests/" + id).path("status").asString()).isEqualTo("closed"));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(scrape("metrics-service"))
                .containsPattern("city311_feedback_received_total\\{department=\"transportation\",partition=\"\\d+\",source=\"survey\"} 1.0"));
    }

    private static JsonNode get(String service, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri(service, path))
                        .header("Authorization", token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    private static String scrape(String service) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(service, "/actuator/prometheus")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static HttpResponse<String> post(String service, String path, String json)
            throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(service, path))
                .header("Content-Type", "application/json")
                .header("Authorization", token)
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String service, String path) {
        return URI.create("http://127.0.0.1:" + ports.get(service) + path);
    }
}
