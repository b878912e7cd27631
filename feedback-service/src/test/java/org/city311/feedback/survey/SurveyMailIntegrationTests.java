package org.city311.feedback.survey;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.city311.contracts.EventContract;
import org.city311.feedback.Events;
import org.city311.platform.security.DevTokens;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.platform.test.TestClock;
import org.city311.platform.test.TestTokens;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Surveys by e-mail, to a real SMTP server (GreenMail): feedback-service asks request-service (a stand-in on this
 * machine that answers as request-service's contact endpoint does) for the resident's consented address under its
 * own identity, keeps asking while the request is not resolved there yet, and sends a link that opens the survey.
 */
@ServiceIntegrationTest
@TestPropertySource(properties = { "city311.surveys.mail.enabled=true", "city311.surveys.delivery-interval=200ms",
        "spring.mail.properties.mail.smtp.starttls.enable=false", "city311.test.context=survey-mail" })
class SurveyMailIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final GreenMail SMTP = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    /** What the stand-in request-service answers, by request id: how many 409s before the contact, if ever. */
    private static final Map<String, Integer> conflictsBeforeContact = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
    /** Requests to which a second caller was added ("this is the same"), who consented too. */
    private static final Set<String> withSecondCaller = ConcurrentHashMap.newKeySet();
    private static final List<String> bearers = new CopyOnWriteArrayList<>();
    private static final DisposableServer REQUEST_SERVICE;

    static {
        SMTP.start();
        REQUEST_SERVICE = HttpServer.create().host("127.0.0.1").port(0).route(routes -> routes.get(
                "/api/requests/{id}/contact", (request, response) -> {
                    String id = request.param("id");
                    bearers.add(request.requestHeaders().get(HttpHeaders.AUTHORIZATION));
                    int attempt = asked.computeIfAbsent(id, any -> new AtomicInteger()).incrementAndGet();
                    if (attempt <= conflictsBeforeContact.getOrDefault(id, 0)) {
                        return response.status(409).header("Content-Type", "application/problem+json")
                                .sendString(Mono.just("{\"status\":409,\"detail\":\"not resolved here yet\"}"));
                    }
                    return response.header("Content-Type", "application/json").sendString(Mono.just(
                            "{\"requestId\":\"" + id + "\",\"consentToContact\":true,\"email\":\"" + id
                                    + "@example.net\",\"additionalRecipients\":["
                                    + (withSecondCaller.contains(id) ? "\"second." + id + "@example.net\"" : "")
                                    + "]}"));
                })).bindNow();
    }

    @DynamicPropertySource
    static void mailAndRequestService(DynamicPropertyRegistry properties) {
        properties.add("spring.mail.host", () -> "127.0.0.1");
        properties.add("spring.mail.port", () -> SMTP.getSmtp().getPort());
        properties.add("city311.surveys.mail.request-service-url", () -> "http://127.0.0.1:" + REQUEST_SERVICE.port());
        // the local run's identity: tokens signed with the local key, as ./run.sh's are
        properties.add("city311.surveys.mail.identity.private-key-location", TestTokens::privateKeyLocation);
    }

    @AfterAll
    static void stop() {
        SMTP.stop();
        REQUEST_SERVICE.disposeNow();
    }

    @Autowired
    WebTestClient web;

    @Autowired
    TestClock clock;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    KafkaTestClient kafka;

    @BeforeEach
    void kafka() {
        kafka = new KafkaTestClient(brokers);
    }

    @Test
    void shouldEmailAWorkingLinkOnceRequestServiceShowsTheRequestResolved() throws Exception {
        // given a resolved request whose resolution reaches request-service only after two of our asks
        String id = Events.newRequestId();
        conflictsBeforeContact.put(id, 2);
        resolved(id);

        // when time passes (the asks are spaced out: 10 s, then 20 s)
        await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).until(() -> {
            clock.advance(Duration.ofSeconds(15));
            return messagesTo(id + "@example.net").size() == 1;
        });

        // then one e-mail reached the resident, asked for under feedback-service's own identity
        assertThat(asked.get(id).get()).isEqualTo(3);
        MimeMessage mail = messagesTo(id + "@example.net").get(0);
        assertThat(mail.getSubject()).isEqualTo("How did we do? Your 311 request " + id);
        String body = GreenMailUtil.getBody(mail);
        Matcher link = Pattern.compile("(https?://\\S+)/surveys/([A-Za-z0-9_-]{43})").matcher(body);
        assertThat(link.find()).as(body).isTrue();
        JsonNode claims = claims(bearers.get(0));
        assertThat(claims.get("sub").asString()).isEqualTo("feedback-service");
        assertThat(claims.get("roles").toString()).isEqualTo("[\"survey-sender\"]");
        assertThat(claims.get("iss").asString()).isEqualTo(DevTokens.LOCAL_ISSUER);
        assertThat(claims.get("aud").toString()).contains(DevTokens.LOCAL_AUDIENCE);

        // and its link opens the survey and takes the resident's answers
        String token = link.group(2);
        web.get().uri("/surveys/{token}", token).accept(MediaType.TEXT_HTML).exchange().expectStatus().isOk()
                .expectBody(String.class).value(page -> assertThat(page).contains(id));
        web.post().uri("/api/surveys/{token}/responses", token)
                .headers(headers -> headers.set(HttpHeaders.AUTHORIZATION, null))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("satisfaction", 5, "resolved", true))
                .exchange().expectStatus().isCreated();
        JsonNode survey = surveysOf(id).get(0);
        assertThat(survey.get("channel").asString()).isEqualTo("email");
        assertThat(survey.get("status").asString()).isEqualTo("answered");
        assertThat(survey.path("answeredBy").isNull()).as("answered by the resident, not staff").isTrue();
    }

    @Test
    void shouldEmailTheSameLinkToACallerAddedToTheRequestWhoConsented() throws Exception {
        // given a resolved request that a second caller, who consented, was added to
        String id = Events.newRequestId();
        withSecondCaller.add(id);
        resolved(id);

        // when the invitation goes out
        await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).until(() ->
                messagesTo(id + "@example.net").size() == 1 && messagesTo("second." + id + "@example.net").size() == 1);

        // then each got a message of their own, carrying the same link, and neither saw the other's address
        MimeMessage first = messagesTo(id + "@example.net").get(0);
        MimeMessage second = messagesTo("second." + id + "@example.net").get(0);
        assertThat(first.getAllRecipients()).hasSize(1);
        assertThat(second.getAllRecipients()).hasSize(1);
        Pattern link = Pattern.compile("https?://\\S+/surveys/[A-Za-z0-9_-]{43}");
        Matcher firstLink = link.matcher(GreenMailUtil.getBody(first));
        Matcher secondLink = link.matcher(GreenMailUtil.getBody(second));
        assertThat(firstLink.find()).isTrue();
        assertThat(secondLink.find()).isTrue();
        assertThat(secondLink.group()).isEqualTo(firstLink.group());
        assertThat(surveysOf(id).get(0).get("channel").asString()).isEqualTo("email");
    }

    @Test
    void shouldLeaveTheSurveyToStaffWhenRequestServiceDoesNotShowItResolvedWithinTenMinutes() {
        // given a resolved request that request-service never shows resolved
        String id = Events.newRequestId();
        conflictsBeforeContact.put(id, Integer.MAX_VALUE);
        resolved(id);
        await().atMost(WAIT).until(() -> asked.containsKey(id));

        // when fifteen minutes pass
        java.time.Instant start = clock.instant();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).until(() -> {
            clock.advance(Duration.ofSeconds(45));
            return !clock.instant().isBefore(start.plus(Duration.ofMinutes(15)));
        });

        // then it asked again and again, spaced out, and gave up after ten minutes: no more asks, no e-mail, and
        // the survey is staff's to run by phone
        int asks = asked.get(id).get();
        assertThat(asks).isBetween(4, 12);
        clock.advance(Duration.ofMinutes(5));
        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> asked.get(id).get() == asks);
        assertThat(messagesTo(id + "@example.net")).isEmpty();
        JsonNode survey = surveysOf(id).get(0);
        assertThat(survey.get("status").asString()).isEqualTo("pending_delivery");
        assertThat(survey.get("channel").asString()).isEqualTo("phone");
    }

    private void resolved(String id) {
        kafka.send("city311.requests", id, Events.example(EventContract.REQUEST_CREATED, id, Map.of()));
        kafka.send("city311.routing", id, Events.example(EventContract.REQUEST_ROUTED, id, Map.of()));
        kafka.send("city311.routing", id, Events.example(EventContract.REQUEST_RESOLVED, id, Map.of()));
    }

    private List<MimeMessage> messagesTo(String address) {
        return List.of(SMTP.getReceivedMessages()).stream().filter(message -> {
            try {
                return Set.of(message.getAllRecipients()).stream().anyMatch(to -> to.toString().equals(address));
            }
            catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private List<JsonNode> surveysOf(String requestId) {
        byte[] body = web.get().uri("/api/surveys?requestId={id}", requestId).exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBody();
        List<JsonNode> surveys = new java.util.ArrayList<>();
        JSON.readTree(body).forEach(surveys::add);
        return surveys;
    }

    private static JsonNode claims(String bearer) {
        assertThat(bearer).startsWith("Bearer ");
        String payload = bearer.substring("Bearer ".length()).split("\\.")[1];
        return JSON.readTree(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
    }
}
