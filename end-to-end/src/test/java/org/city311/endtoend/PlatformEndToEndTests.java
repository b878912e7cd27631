package org.city311.endtoend;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.icegreen.greenmail.util.GreenMailUtil;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.city311.platform.security.Role;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole request lifecycle through the four services' public APIs: their real jars, as separate processes, on
 * one real Kafka broker (embedded KRaft) and one Mongo-wire store, exactly as {@code ./run.sh} wires them. The
 * platform is the test run's one ({@link EndToEndPlatform}): what other classes filed is there too, so the
 * dashboards' counters are read as what this class's requests added.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(EndToEndPlatform.Shared.class)
class PlatformEndToEndTests {

    /** routing-service's department actions on a request: {@code <WORK>/{requestId}/<action>}. */
    private static final String WORK = "/api/work";
    private static final String TRANSPORTATION = "department=\"transportation\"";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static EndToEndPlatform platform;
    private static String token;

    @BeforeAll
    static void startPlatform(EndToEndPlatform shared) throws Exception {
        platform = shared;
        // a token as ./run.sh's dev tokens are: one caller who files, works transportation's requests and takes
        // feedback
        token = "Bearer " + platform.tokens().mint("e2e.staff", "transportation", Role.STAFF, Role.AGENT);
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
        Counters before = Counters.scrape(scrape("metrics-service"));
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

        // then the operations dashboard counts it once in each step, for the right department, with the resolution
        // within its standard and nothing left open
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            Counters now = Counters.scrape(scrape("metrics-service"));
            assertThat(now.minus(before, "city311_requests_created_total", "channel=\"phone\"",
                    "segment=\"resident\"")).isEqualTo(1);
            assertThat(now.minus(before, "city311_requests_routed_total", TRANSPORTATION)).isEqualTo(1);
            assertThat(now.minus(before, "city311_requests_resolved_total", TRANSPORTATION, "segment=\"resident\""))
                    .isEqualTo(1);
            assertThat(now.minus(before, "city311_requests_resolved_within_standard_total", TRANSPORTATION))
                    .isEqualTo(1);
            assertThat(now.minus(before, "city311_requests_open", TRANSPORTATION)).isZero();
            assertThat(now.minus(before, "city311_feedback_received_total", TRANSPORTATION, "source=\"phone\""))
                    .isEqualTo(1);
        });
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
        Counters before = Counters.scrape(scrape("metrics-service"));
        HttpResponse<String> filed = post("request-service", "/api/requests", report);
        assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
        String id = JSON.readTree(filed.body()).path("id").asString();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                get("request-service", "/api/requests/" + id).path("status").asString()).isEqualTo("routed"));

        // when Transportation resolves it
        assertThat(post("routing-service", WORK + "/" + id + "/resolve",
                "{\"resolutionCode\": \"fixed\", \"note\": \"Ballast replaced\"}").statusCode()).isEqualTo(200);

        // then the resident gets one e-mail asking how it went, with a link
        await().atMost(Duration.ofSeconds(60)).until(() -> mailsTo("bo.chen@example.net").size() > 0);
        List<MimeMessage> mails = mailsTo("bo.chen@example.net");
        assertThat(mails).hasSize(1);
        MimeMessage mail = mails.get(0);
        assertThat(mail.getAllRecipients()).extracting(Object::toString).containsExactly("bo.chen@example.net");
        assertThat(mail.getSubject()).contains(id);
        Matcher link = Pattern.compile("http://localhost:\\d+/surveys/[A-Za-z0-9_-]{43}")
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
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(Counters.scrape(scrape("metrics-service"))
                .minus(before, "city311_feedback_received_total", TRANSPORTATION, "source=\"survey\"")).isEqualTo(1));
    }

    private static List<MimeMessage> mailsTo(String address) throws Exception {
        List<MimeMessage> mails = new ArrayList<>();
        for (MimeMessage mail : platform.smtp().getReceivedMessages()) {
            if (List.of(mail.getAllRecipients()).stream().anyMatch(to -> to.toString().equals(address))) {
                mails.add(mail);
            }
        }
        return mails;
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
        return URI.create(platform.url(service).replace("localhost", "127.0.0.1") + path);
    }

    /** A Prometheus scrape's samples, to be summed over the series that carry given labels (all partitions). */
    private record Counters(Map<String, Double> samples) {

        private static final Pattern SAMPLE = Pattern.compile("^([a-z_0-9]+)(\\{[^}]*})? (\\S+)$", Pattern.MULTILINE);

        static Counters scrape(String exposition) {
            Map<String, Double> samples = new LinkedHashMap<>();
            Matcher sample = SAMPLE.matcher(exposition);
            while (sample.find()) {
                samples.put(sample.group(1) + (sample.group(2) == null ? "{}" : sample.group(2)),
                        Double.parseDouble(sample.group(3)));
            }
            return new Counters(samples);
        }

        /** What this scrape's series named {@code name} with all the labels sum to, less the same in {@code before}. */
        long minus(Counters before, String name, String... labels) {
            return Math.round(sum(name, labels) - before.sum(name, labels));
        }

        private double sum(String name, String... labels) {
            return samples.entrySet().stream()
                    .filter(entry -> entry.getKey().startsWith(name + "{"))
                    .filter(entry -> List.of(labels).stream().allMatch(label -> entry.getKey().contains(label)))
                    .mapToDouble(Map.Entry::getValue).sum();
        }
    }
}
