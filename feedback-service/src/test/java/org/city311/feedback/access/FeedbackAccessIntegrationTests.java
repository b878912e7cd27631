package org.city311.feedback.access;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.city311.contracts.EventContract;
import org.city311.feedback.Events;
import org.city311.platform.security.Role;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.platform.test.TestTokens;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every endpoint of feedback-service against every role. Allowed calls answer whatever their input deserves (here
 * often 404 or 400, for made-up ids): what matters is that they are not 401 or 403, and refused ones are.
 */
@ServiceIntegrationTest
class FeedbackAccessIntegrationTests {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final String NONE = "";
    static final String STAFF = TestTokens.staff("staff.amy");
    static final String AGENT_PARKS = TestTokens.agent("parks");
    static final String SUPERVISOR_PARKS = TestTokens.supervisor("parks");
    static final String AGENT_DOT = TestTokens.agent("transportation");
    static final String AUDITOR = TestTokens.only(Role.AUDITOR);
    static final String OPS = TestTokens.only(Role.OPS);
    static final String ADMIN = TestTokens.only(Role.ADMIN);

    @Autowired
    WebTestClient web;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Test
    void shouldLetStaffTakeFeedbackAndAuditorsRecordAudits() {
        // given a request that Transportation resolved, once feedback-service has read it
        String id = Events.newRequestId();
        new KafkaTestClient(brokers).send("city311.routing", id,
                KafkaTestClient.example(EventContract.example("city311.request.resolved.v1"), id));
        Map<String, Object> feedback = Map.of("requestId", id, "source", "phone", "satisfaction", 4);
        await().atMost(WAIT).untilAsserted(() -> assertThat(status(HttpMethod.POST, "/api/feedback", STAFF,
                feedback)).isEqualTo(201));

        // then every other role is refused feedback, and only auditors may audit
        expect(HttpMethod.POST, "/api/feedback", feedback, Map.of(NONE, 401, AGENT_PARKS, 403, AUDITOR, 403,
                OPS, 403, ADMIN, 403));
        Map<String, Object> audit = Map.of("requestId", id, "courtesy", 3, "routingAccuracy", 3,
                "timeliness", 3, "resolutionQuality", 3);
        expect(HttpMethod.POST, "/api/audits", audit, Map.of(NONE, 401, STAFF, 403, SUPERVISOR_PARKS, 403,
                OPS, 403, ADMIN, 403, AUDITOR, 201));
    }

    @Test
    void shouldShowFollowUpsToTheirDepartmentAndAuditorsOnly() {
        expect(HttpMethod.GET, "/api/follow-ups?department=parks", null, Map.of(NONE, 401, AGENT_PARKS, 200,
                SUPERVISOR_PARKS, 200, AUDITOR, 200, AGENT_DOT, 403, STAFF, 403, OPS, 403, ADMIN, 403));
        Map<String, Object> closing = Map.of("rootCause", "process", "action", "Called the resident back");
        expect(HttpMethod.POST, "/api/follow-ups/no-such-one/close", closing, Map.of(NONE, 401, AUDITOR, 403,
                STAFF, 403, OPS, 403, AGENT_PARKS, 404));
        // a request's surveys (each checked: its requesting department's agents see theirs), and the caller's own
        expect(HttpMethod.GET, "/api/surveys?requestId=311-00000001", null, Map.of(NONE, 401, STAFF, 200,
                AUDITOR, 200, SUPERVISOR_PARKS, 200, AGENT_PARKS, 200, OPS, 403, ADMIN, 403));
        expect(HttpMethod.GET, "/api/surveys", null, Map.of(NONE, 401, STAFF, 200, AGENT_PARKS, 200,
                SUPERVISOR_PARKS, 200, OPS, 403, ADMIN, 403));
    }

    @Test
    void shouldServeTheSurveyByItsTokenAloneAndKeepEverythingElseClosed() {
        // the token is the credential: no sign-in, and an unknown one is simply not found
        expect(HttpMethod.GET, "/surveys/unknown-token", null, Map.of(NONE, 404));
        expect(HttpMethod.POST, "/api/surveys/unknown-token/responses", Map.of("satisfaction", 5, "resolved", true),
                Map.of(NONE, 404));
        // (health may say DOWN here, where no mail server runs: what matters is that it answers without a token)
        assertThat(status(HttpMethod.GET, "/actuator/health", NONE, null)).isIn(200, 503);
        expect(HttpMethod.GET, "/actuator/prometheus", null, Map.of(NONE, 200));
        expect(HttpMethod.GET, "/actuator/metrics", null, Map.of(NONE, 401, STAFF, 403));
    }

    private void expect(HttpMethod method, String uri, Object body, Map<String, Integer> statusByToken) {
        statusByToken.forEach((token, status) -> assertThat(status(method, uri, token, body))
                .as("%s %s as %s", method, uri, token.isEmpty() ? "nobody" : token.substring(0, 20)).isEqualTo(status));
    }

    private int status(HttpMethod method, String uri, String token, Object body) {
        WebTestClient.RequestBodySpec request = web.method(method).uri(uri)
                .headers(headers -> headers.set(HttpHeaders.AUTHORIZATION, token.isEmpty() ? null : token));
        WebTestClient.ResponseSpec response = body == null ? request.exchange()
                : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
        return response.returnResult(byte[].class).getStatus().value();
    }
}
