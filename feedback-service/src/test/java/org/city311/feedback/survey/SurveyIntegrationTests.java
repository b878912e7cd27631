package org.city311.feedback.survey;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.city311.contracts.EventContract;
import org.city311.feedback.Events;
import org.city311.platform.security.Role;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.TestTokens;
import org.city311.platform.test.ServiceIntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.FluxExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Surveys from the resolution of a request to the customer's answer and what it sets off, against the real Kafka
 * broker and the Mongo-wire store. Each test comes from an address of its own, as the survey addresses are
 * rate-limited per client address: the test calls as the ingress would, from a trusted proxy (behind another one,
 * 10.0.0.1), naming the client in {@code X-Forwarded-For}.
 */
@ServiceIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = { "city311.surveys.resend-after-reopen=parks",
        "city311.surveys.sampling[pothole]=0.0", "city311.surveys.delivery-interval=200ms",
        "city311.surveys.base-url=https://311.example.gov",
        "city311.web.trusted-proxies=127.0.0.1,::1,10.0.0.0/8" })
class SurveyIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    WebTestClient webTestClient;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    WebTestClient web;
    KafkaTestClient kafka;

    @BeforeEach
    void fromAnAddressOfItsOwn() {
        web = webTestClient.mutate().defaultHeader("X-Forwarded-For", randomAddress() + ", 10.0.0.1").build();
        kafka = new KafkaTestClient(brokers);
    }

    @Test
    void shouldInviteOnceEvenWhenResolvedTwice() {
        // given a request resolved, the resolution delivered twice, then reopened and resolved again
        String id = Events.newRequestId();
        created(id, Map.of());
        routing(id, EventContract.REQUEST_ROUTED, Map.of());
        routing(id, EventContract.REQUEST_RESOLVED, Map.of());
        routing(id, EventContract.REQUEST_RESOLVED, Map.of());
        routing(id, EventContract.REQUEST_REOPENED, moved(3));
        routing(id, EventContract.REQUEST_RESOLVED, Map.of("sequence", 4));

        // then the one invitation asks about the newest resolution, left to staff by phone
        await().atMost(WAIT).untilAsserted(() -> assertThat(surveysOf(id)).singleElement()
                .satisfies(survey -> assertThat(survey.get("resolutionSequence").asLong()).isEqualTo(4)));
        JsonNode survey = surveysOf(id).get(0);
        assertThat(survey.get("status").asString()).isEqualTo("pending_delivery");
        assertThat(survey.get("channel").asString()).isEqualTo("phone");
        // and its link, which answers as the resident, is in no list
        assertThat(survey.has("token")).isFalse();
        assertThat(survey.has("url")).isFalse();
    }

    @Test
    void shouldIssueAFreshLinkEachTimeStaffFetchItAndRevokeTheOneBefore() {
        // given a resolved request's survey
        String id = Events.newRequestId();
        created(id, Map.of());
        routing(id, EventContract.REQUEST_ROUTED, Map.of());
        routing(id, EventContract.REQUEST_RESOLVED, Map.of());
        await().atMost(WAIT).untilAsserted(() -> assertThat(surveysOf(id)).isNotEmpty());
        String surveyId = surveysOf(id).get(0).get("id").asString();

        // when staff fetch its link to read it out on the phone, and then once more
        JsonNode first = link(surveyId, TestTokens.staff("staff.amy")).expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        String firstToken = tokenOf(first.get("url").asString());
        assertThat(first.get("url").asString()).matches("https://311\\.example\\.gov/surveys/[A-Za-z0-9_-]{43}");
        assertThat(first.get("requestId").asString()).isEqualTo(id);
        web.get().uri("/surveys/{token}", firstToken).accept(MediaType.TEXT_HTML).exchange().expectStatus().isOk();
        String secondToken = tokenOf(link(surveyId, TestTokens.staff("staff.amy")).expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("url").asString());

        // then only the newest opens the survey: the one read out before no longer answers as the resident
        assertThat(secondToken).isNotEqualTo(firstToken);
        web.get().uri("/surveys/{token}", firstToken).accept(MediaType.TEXT_HTML).exchange().expectStatus()
                .isNotFound();
        answer(firstToken, Map.of("satisfaction", 5, "resolved", true)).expectStatus().isNotFound();
        web.get().uri("/surveys/{token}", secondToken).accept(MediaType.TEXT_HTML).exchange().expectStatus().isOk();
        // and no one else gets a link: not auditors, not another department's supervisor, not a resident
        link(surveyId, TestTokens.only(Role.AUDITOR)).expectStatus().isForbidden();
        link(surveyId, TestTokens.supervisor("transportation")).expectStatus().isForbidden();
        link(surveyId, "").expectStatus().isUnauthorized();
        link("no-such-survey", TestTokens.staff("staff.amy")).expectStatus().isNotFound();
    }

    @Test
    void shouldRecordTheStaffMemberWhoEnteredTheAnswersByPhoneAndStillCountItAsTheSurveysResponse() {
        // given a survey whose link staff fetched to run it with the resident on the phone
        String id = Events.newRequestId();
        created(id, Map.of());
        routing(id, EventContract.REQUEST_ROUTED, Map.of());
        routing(id, EventContract.REQUEST_RESOLVED, Map.of());
        String token = awaitToken(id);

        // when staff post the answers with their own token
        web.post().uri("/api/surveys/{token}/responses", token)
                .header(HttpHeaders.AUTHORIZATION, TestTokens.staff("staff.amy"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("satisfaction", 4, "resolved", true))
                .exchange().expectStatus().isCreated();

        // then the response is the survey's (counted in the response rate), entered by that staff member by phone
        ConsumerRecord<String, String> received = kafka.await("city311.feedback", r -> id.equals(r.key())
                && Events.type(r.value()).equals("city311.feedback.received.v1"), WAIT);
        EventContract.assertValid(received.value());
        assertThat(Events.data(received.value()).get("source").asString()).isEqualTo("survey");
        assertThat(JSON.readTree(received.value()).get("actedby").asString()).isEqualTo("staff.amy");
        JsonNode survey = surveysOf(id).get(0);
        assertThat(survey.get("status").asString()).isEqualTo("answered");
        assertThat(survey.get("channel").asString()).isEqualTo("phone");
        assertThat(survey.get("answeredBy").asString()).isEqualTo("staff.amy");
    }

    @Test
    void shouldNeverWriteASurveysLinkToTheLog(CapturedOutput log) {
        // given a resolved request's survey, handed to the local notifier
        String id = Events.newRequestId();
        created(id, Map.of());
        routing(id, EventContract.REQUEST_ROUTED, Map.of());
        routing(id, EventContract.REQUEST_RESOLVED, Map.of());
        await().atMost(WAIT).untilAsserted(() -> assertThat(log.getOut()).contains("for request " + id
                + " to be run by phone by staff"));

        // then the log says it was offered, and never shows a link that would answer as the resident
        String token = awaitToken(id);
        assertThat(log.getAll()).doesNotContain("/surveys/").doesNotContain(token);
    }

    @Test
    void shouldSurveyAgainAfterAReopenOnlyWhereTheDepartmentsPolicySaysSo() {
        // given two answered surveys: one of Parks (which surveys again after a reopen), one of Transportation
        String parks = Events.newRequestId();
        String transportation = Events.newRequestId();
        for (String id : List.of(parks, transportation)) {
            String department = id.equals(parks) ? "parks" : "transportation";
            created(id, Map.of());
            routing(id, EventContract.REQUEST_ROUTED, Map.of("department", department));
            routing(id, EventContract.REQUEST_RESOLVED, Map.of("department", department));
            answer(awaitToken(id), Map.of("satisfaction", 4, "resolved", true)).expectStatus().isCreated();
        }

        // when both are reopened and resolved again
        for (String id : List.of(parks, transportation)) {
            String department = id.equals(parks) ? "parks" : "transportation";
            routing(id, EventContract.REQUEST_REOPENED, Map.of("department", department, "serviceCode",
                    "streetlight-out", "sequence", 3));
            routing(id, EventContract.REQUEST_RESOLVED, Map.of("department", department, "sequence", 4));
        }

        // then Parks' customer gets a second survey, about the new resolution; Transportation's does not
        await().atMost(WAIT).untilAsserted(() -> assertThat(surveysOf(parks)).hasSize(2));
        assertThat(surveysOf(parks).get(1).get("resolutionSequence").asLong()).isEqualTo(4);
        assertThat(surveysOf(parks).get(1).get("status").asString()).isEqualTo("pending_delivery");
        await().during(Duration.ofSeconds(2)).atMost(WAIT).untilAsserted(() -> assertThat(surveysOf(transportation))
                .singleElement().satisfies(s -> assertThat(s.get("status").asString()).isEqualTo("answered")));
    }

    @Test
    void shouldAskRoutingToReopenWhenTheResidentSaysItIsNotResolved() {
        // given a resident's request, filed from the mobile app and resolved
        String id = Events.newRequestId();
        created(id, Map.of());
        routing(id, EventContract.REQUEST_ROUTED, Map.of());
        routing(id, EventContract.REQUEST_RESOLVED, Map.of());
        String token = awaitToken(id);

        // when the resident answers that it is not resolved
        answer(token, Map.of("satisfaction", 2, "resolved", false, "ease", 3, "comment",
                "Still dark. <script>alert('x')</script>"))
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.followUpId").isNotEmpty();

        // then feedback-received tells routing-service which resolution it answers, and metrics who asked how
        ConsumerRecord<String, String> received = kafka.await("city311.feedback", r -> id.equals(r.key())
                && Events.type(r.value()).equals("city311.feedback.received.v1"), WAIT);
        EventContract.assertValid(received.value());
        EventContract.assertValid(received.value());
        JsonNode data = Events.data(received.value());
        assertThat(data.get("source").asString()).isEqualTo("survey");
        assertThat(data.get("resolved").asBoolean()).isFalse();
        assertThat(data.get("resolutionSequence").asLong()).isEqualTo(2);
        assertThat(data.get("satisfaction").asInt()).isEqualTo(2);
        assertThat(data.get("ease").asInt()).isEqualTo(3);
        assertThat(data.get("channel").asString()).isEqualTo("mobile");
        assertThat(data.get("segment").asString()).isEqualTo("resident");
        assertThat(data.get("department").asString()).isEqualTo("transportation");
        assertThat(received.value()).doesNotContain("Still dark");
        // and the department must follow it up
        ConsumerRecord<String, String> opened = kafka.await("city311.feedback", r -> id.equals(r.key())
                && Events.type(r.value()).equals("city311.followup.opened.v1"), WAIT);
        EventContract.assertValid(opened.value());
        assertThat(Events.data(opened.value()).get("reason").asString()).isEqualTo("not_resolved");
        assertThat(surveysOf(id).get(0).get("status").asString()).isEqualTo("answered");
    }

    @Test
    void shouldTakeOneResponsePerTokenAndStoreNothingTwice() {
        String id = Events.newRequestId();
        routing(id, EventContract.REQUEST_ROUTED, Map.of());
        routing(id, EventContract.REQUEST_RESOLVED, Map.of());
        String token = awaitToken(id);

        answer(token, Map.of("satisfaction", 5, "resolved", true)).expectStatus().isCreated();
        answer(token, Map.of("satisfaction", 1, "resolved", false)).expectStatus().isEqualTo(409)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        form(token, Map.of("satisfaction", "1", "resolved", "no")).expectStatus().isEqualTo(409)
                .expectBody(String.class).value(page -> assertThat(page).contains("already been answered"));
        web.get().uri("/surveys/{token}", token).accept(MediaType.TEXT_HTML).exchange().expectStatus().isEqualTo(409);

        List<ConsumerRecord<String, String>> published = kafka.readAll("city311.feedback", Duration.ofSeconds(2))
                .stream().filter(r -> id.equals(r.key())).toList();
        assertThat(published).singleElement()
                .satisfies(r -> assertThat(r.value()).contains("\"satisfaction\":5").doesNotContain("followup"));
    }

    @Test
    void shouldRefuseUnknownAndForgedTokens() {
        String forged = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

        answer(forged, Map.of("satisfaction", 5, "resolved", true)).expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        answer("not-a-token", Map.of("satisfaction", 5, "resolved", true)).expectStatus().isNotFound();
        web.get().uri("/surveys/{token}", forged).accept(MediaType.TEXT_HTML).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class)
                .value(page -> assertThat(page).contains("There is no survey at this address"));
        // (its encoded '/' is refused by the firewall before any page is looked up)
        web.get().uri("/surveys/{token}", "<script>alert(1)</script>").accept(MediaType.TEXT_HTML).exchange()
                .expectStatus().isBadRequest()
                .expectBody(String.class).value(page -> assertThat(page).doesNotContain("<script>"));
        web.get().uri("/surveys/{token}", "<script>alert(1)<script>").accept(MediaType.TEXT_HTML).exchange()
                .expectStatus().isNotFound()
                .expectBody(String.class).value(page -> assertThat(page).doesNotContain("<script>"));
    }

    @Test
    void shouldRefuseOutOfRangeRatingsAndOversizeCommentsWithoutStoringAnything() {
        String id = Events.newRequestId();
        routing(id, EventContract.REQUEST_ROUTED, Map.of());
        routing(id, EventContract.REQUEST_RESOLVED, Map.of());
        String token = awaitToken(id);

        Map<String, Object> bad = new HashMap<>();
        bad.put("satisfaction", 0);
        bad.put("ease", 6);
        bad.put("comment", "x".repeat(2001));
        answer(token, bad).expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[?(@.field == 'satisfaction')]").exists()
                .jsonPath("$.errors[?(@.field == 'resolved')]").exists()
                .jsonPath("$.errors[?(@.field == 'ease')]").exists()
                .jsonPath("$.errors[?(@.field == 'comment')]").exists();
        answer(token, Map.of("satisfaction", "five", "resolved", true)).expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        web.post().uri("/api/surveys/{token}/responses", token).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"satisfaction\": 5, ").exchange().expectStatus().isBadRequest();

        assertThat(surveysOf(id).get(0).get("status").asString()).isEqualTo("pending_delivery");
        // a comment of exactly 2,000 characters is fine
        answer(token, Map.of("satisfaction", 5, "resolved", true, "comment", "y".repeat(2000)))
                .expectStatus().isCreated();
    }

    @Test
    void shouldRefuseOversizeAndMalformedBodiesWithoutA5xx() {
        String id = Events.newRequestId();
        routing(id, EventContract.REQUEST_ROUTED, Map.of());
        routing(id, EventContract.REQUEST_RESOLVED, Map.of());
        String token = awaitToken(id);
        String huge = "z".repeat(1_000_000);

        answer(token, Map.of("satisfaction", 5, "resolved", true, "comment", huge)).expectStatus().is4xxClientError();
        web.post().uri("/surveys/{token}", token).accept(MediaType.TEXT_HTML)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .bodyValue("satisfaction=5&resolved=yes&comment=" + huge).exchange()
                .expectStatus().is4xxClientError()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML);
        web.post().uri("/surveys/{token}", token).accept(MediaType.TEXT_HTML)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .bodyValue("satisfaction=5&resolved=yes&comment=%ZZ%").exchange()
                .expectStatus().is4xxClientError()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML);
        web.post().uri("/surveys/{token}", token).accept(MediaType.TEXT_HTML).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("satisfaction", 5)).exchange()
                .expectStatus().isEqualTo(415);

        assertThat(surveysOf(id).get(0).get("status").asString()).isEqualTo("pending_delivery");
    }

    @Test
    void shouldServeAnAccessibleSurveyPageWhoseFormShowsErrorsAndThanks() {
        String id = Events.newRequestId();
        routing(id, EventContract.REQUEST_ROUTED, Map.of());
        routing(id, EventContract.REQUEST_RESOLVED, Map.of());
        String token = awaitToken(id);

        // the page: plain HTML, every input labelled, nothing to run
        web.get().uri("/surveys/{token}", token).accept(MediaType.TEXT_HTML).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectHeader().valueMatches("Content-Security-Policy", ".*default-src 'none'.*")
                .expectHeader().valueEquals("Referrer-Policy", "no-referrer")
                .expectBody(String.class).value(page -> assertThat(page).contains("<html lang=\"en\">")
                        .contains("<legend>Was your issue resolved?</legend>").contains("<label for=\"comment\">")
                        .contains(id).doesNotContain("<script"));

        // a wrong answer: the page again, the error said, what was typed kept and escaped
        String comment = "Late <script>alert('x')</script>";
        form(token, Map.of("satisfaction", "9", "resolved", "yes", "comment", comment))
                .expectStatus().isEqualTo(422)
                .expectBody(String.class).value(page -> assertThat(page).contains("role=\"alert\"")
                        .contains("Choose how satisfied you are, from 1 to 5.")
                        .contains("Late &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;").doesNotContain("<script>"));

        // corrected: thanks; the comment stored as the resident wrote it, for staff (JSON, escaped by whoever shows it)
        form(token, Map.of("satisfaction", "1", "resolved", "yes", "ease", "2", "comment", comment))
                .expectStatus().isOk()
                .expectBody(String.class).value(page -> assertThat(page).contains("Thank you"));
        ConsumerRecord<String, String> opened = kafka.await("city311.feedback", r -> id.equals(r.key())
                && Events.type(r.value()).equals("city311.followup.opened.v1"), WAIT);
        String followUpId = Events.data(opened.value()).get("followUpId").asString();
        web.get().uri("/api/follow-ups/{id}", followUpId)
                .header(HttpHeaders.AUTHORIZATION, TestTokens.supervisor("transportation")).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.feedback.comment").isEqualTo(comment)
                .jsonPath("$.feedback.source").isEqualTo("survey")
                .jsonPath("$.reason").isEqualTo("low_satisfaction");
    }

    @Test
    void shouldRateLimitSubmissionsPerTokenAndRequestsPerAddress() {
        String id = Events.newRequestId();
        routing(id, EventContract.REQUEST_ROUTED, Map.of());
        routing(id, EventContract.REQUEST_RESOLVED, Map.of());
        String token = awaitToken(id);

        // five submissions a minute per survey, from wherever they come
        for (int i = 0; i < 5; i++) {
            fromAnotherAddress().post().uri("/api/surveys/{token}/responses", token)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("satisfaction", 9)).exchange()
                    .expectStatus().isBadRequest();
        }
        fromAnotherAddress().post().uri("/api/surveys/{token}/responses", token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("satisfaction", 5, "resolved", true))
                .exchange()
                .expectStatus().isEqualTo(429)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().value(HttpHeaders.RETRY_AFTER, retryAfter -> assertThat(Long.parseLong(retryAfter))
                        .isBetween(1L, 60L));

        // sixty requests a minute per address, whatever the survey (one earned back a second: flood until refused)
        WebTestClient flood = fromAnotherAddress();
        int served = 0;
        FluxExchangeResult<String> refused = null;
        while (refused == null && served < 200) {
            String guess = served == 0 ? token : "guess" + served;
            FluxExchangeResult<String> result = flood.get().uri("/surveys/{token}", guess).accept(MediaType.TEXT_HTML)
                    .exchange().returnResult(String.class);
            if (result.getStatus().value() == 429) {
                refused = result;
            }
            else {
                served++;
            }
        }
        assertThat(served).isBetween(60, 199);
        assertThat(refused.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNotBlank();
        assertThat(refused.getResponseHeaders().getContentType().isCompatibleWith(MediaType.TEXT_HTML)).isTrue();
        assertThat(surveysOf(id).get(0).get("status").asString()).isEqualTo("pending_delivery");
    }

    @Test
    void shouldOfferAnInternalRequestsSurveyToTheRequestingStaff() {
        String id = Events.newRequestId();
        created(id, Map.of("channel", "internal", "segment", "internal", "requestingDepartment", "parks"));
        routing(id, EventContract.REQUEST_ROUTED, Map.of());
        routing(id, EventContract.REQUEST_RESOLVED, Map.of());

        await().atMost(WAIT).untilAsserted(() -> assertThat(surveysOf(id)).singleElement().satisfies(survey -> {
            assertThat(survey.get("channel").asString()).isEqualTo("internal");
            assertThat(survey.get("status").asString()).isEqualTo("sent");
            assertThat(survey.get("deliveredAt").isNull()).isFalse();
        }));
    }

    @Test
    void shouldNotInviteForServicesOutsideTheSample() {
        // given a pothole request (sampled at 0 % here), resolved: phone feedback sees the resolution
        String id = Events.newRequestId();
        routing(id, EventContract.REQUEST_ROUTED, Map.of("serviceCode", "pothole"));
        routing(id, EventContract.REQUEST_RESOLVED, Map.of("serviceCode", "pothole"));
        await().atMost(WAIT).untilAsserted(() -> web.post().uri("/api/feedback")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("requestId", id, "satisfaction", 3, "source", "phone"))
                .exchange().expectStatus().isCreated().expectBody().jsonPath("$.resolutionSequence").isEqualTo(2));

        assertThat(surveysOf(id)).isEmpty();
        web.get().uri("/api/surveys?requestId=").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("requestId");
    }

    private void created(String id, Map<String, ?> data) {
        kafka.send("city311.requests", id, Events.example(EventContract.REQUEST_CREATED, id, data));
    }

    private void routing(String id, String type, Map<String, ?> data) {
        kafka.send("city311.routing", id, Events.example(type, id, data));
    }

    /** A reopen of the example request (streetlight, Transportation) at a sequence. */
    private static Map<String, Object> moved(long sequence) {
        return Map.of("department", "transportation", "serviceCode", "streetlight-out", "sequence", sequence);
    }

    private List<JsonNode> surveysOf(String requestId) {
        byte[] body = web.get().uri("/api/surveys?requestId={id}", requestId).exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBody();
        List<JsonNode> surveys = new java.util.ArrayList<>();
        JSON.readTree(body).forEach(surveys::add);
        return surveys;
    }

    /** The survey's link as staff fetch it, to run it by phone: its secret. */
    private String awaitToken(String requestId) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(surveysOf(requestId)).isNotEmpty());
        return tokenOf(link(surveysOf(requestId).get(0).get("id").asString(), TestTokens.staff("staff.amy"))
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody()
                .get("url").asString());
    }

    private WebTestClient.ResponseSpec link(String surveyId, String token) {
        // no token: an empty header, which also keeps the tests' standard caller out
        return web.post().uri("/api/surveys/{id}/link", surveyId)
                .headers(headers -> headers.set(HttpHeaders.AUTHORIZATION, token.isEmpty() ? null : token))
                .exchange();
    }

    private static String tokenOf(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    /** The resident's own answers, through their link and nothing else. */
    private WebTestClient.ResponseSpec answer(String token, Map<String, ?> answers) {
        return web.post().uri("/api/surveys/{token}/responses", token)
                .headers(headers -> headers.set(HttpHeaders.AUTHORIZATION, null))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(answers).exchange();
    }

    private WebTestClient.ResponseSpec form(String token, Map<String, String> fields) {
        LinkedMultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        fields.forEach(form::add);
        return web.post().uri("/surveys/{token}", token).accept(MediaType.TEXT_HTML)
                .body(BodyInserters.fromFormData(form)).exchange();
    }

    private WebTestClient fromAnotherAddress() {
        return webTestClient.mutate().defaultHeader("X-Forwarded-For", randomAddress()).build();
    }

    private static String randomAddress() {
        UUID random = UUID.randomUUID();
        return "198.51." + Math.floorMod(random.getMostSignificantBits(), 256) + "."
                + Math.floorMod(random.getLeastSignificantBits(), 256);
    }
}
