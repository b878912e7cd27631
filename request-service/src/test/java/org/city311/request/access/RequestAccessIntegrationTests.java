package org.city311.request.access;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.city311.contracts.EventContract;
import org.city311.platform.security.DevTokens;
import org.city311.platform.security.Role;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.platform.test.TestTokens;
import org.city311.request.CatalogFixture;
import org.city311.request.catalog.ServiceCatalogCopy;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every endpoint of request-service against every role: allowed, refused (403), or not signed in (401); agents
 * bound to their department; residents' personal data only for staff and the department a request is routed to.
 */
@ServiceIntegrationTest
// a context of its own: one shared with a class that ran earlier would be resumed, and its consumers rejoin slowly
class RequestAccessIntegrationTests {

    static final String NONE = "";
    static final String STAFF = TestTokens.staff("staff.amy");
    static final String AGENT_HERE = TestTokens.agent("transportation");
    static final String SUPERVISOR_HERE = TestTokens.supervisor("transportation");
    static final String AGENT_ELSEWHERE = TestTokens.agent("housing");
    static final String SUPERVISOR_ELSEWHERE = TestTokens.supervisor("housing");
    static final String AUDITOR = TestTokens.only(Role.AUDITOR);
    static final String OPS = TestTokens.only(Role.OPS);
    static final String ADMIN = TestTokens.only(Role.ADMIN);
    static final String SURVEY_SENDER = TestTokens.bearer("feedback-service", null, Role.SURVEY_SENDER);
    static final String PUBLIC_READER = TestTokens.bearer("console", null, Role.PUBLIC_READER);

    @Autowired
    WebTestClient web;

    @Autowired
    ServiceCatalogCopy catalog;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    String routedId;

    @BeforeEach
    void aRequestRoutedToTransportation() {
        CatalogFixture.published(catalog, brokers);
        routedId = file(STAFF);
        new KafkaTestClient(brokers).send("city311.routing", routedId,
                KafkaTestClient.example(EventContract.example("city311.request.routed.v1"), routedId));
        await().atMost(Duration.ofSeconds(20)).until(() -> "routed".equals(call(HttpMethod.GET,
                "/api/requests/" + routedId, STAFF, null).expectBody(Map.class).returnResult().getResponseBody()
                .get("status")));
    }

    @Test
    void shouldLetEachRoleFileOnlyWhatItsWorkNeeds() {
        expect(HttpMethod.POST, "/api/requests", pothole(), Map.of(NONE, 401, STAFF, 201, AGENT_HERE, 201,
                SUPERVISOR_ELSEWHERE, 201, AUDITOR, 403, OPS, 403, ADMIN, 403));
        expect(HttpMethod.POST, "/api/requests/" + routedId + "/duplicate-of/311-99999999", null, Map.of(NONE, 401,
                AGENT_HERE, 403, AUDITOR, 403, OPS, 403, ADMIN, 403, SUPERVISOR_ELSEWHERE, 403));
        // "this is the same": staff add a caller to any request, agents and supervisors only to their department's
        // internal requests (this one is a resident's)
        expect(HttpMethod.POST, "/api/requests/" + routedId + "/reporters", Map.of("resident", Map.of("firstName",
                "Maria", "consentToContact", true)), Map.of(NONE, 401, STAFF, 201, AGENT_HERE, 403, SUPERVISOR_HERE,
                403, AUDITOR, 403, OPS, 403, ADMIN, 403, SURVEY_SENDER, 403));
        // staff may link any request; the parent here does not exist, which is the next thing checked
        expect(HttpMethod.POST, "/api/requests/" + routedId + "/duplicate-of/311-99999999", null, Map.of(STAFF, 404,
                SUPERVISOR_HERE, 404));
    }

    @Test
    void shouldShowARequestToStaffAuditorsAndItsDepartmentOnly() {
        expect(HttpMethod.GET, "/api/requests/" + routedId, null, Map.of(NONE, 401, STAFF, 200, AGENT_HERE, 200,
                SUPERVISOR_HERE, 200, AUDITOR, 200, AGENT_ELSEWHERE, 403, SUPERVISOR_ELSEWHERE, 403, OPS, 403,
                ADMIN, 403));
        expect(HttpMethod.GET, "/api/requests", null, Map.of(NONE, 401, STAFF, 200, AGENT_HERE, 200, AUDITOR, 200,
                OPS, 403, ADMIN, 403));
        // a resident's phone or e-mail: only for those who see residents' details
        expect(HttpMethod.GET, "/api/requests?phone=212-555-0188", null, Map.of(NONE, 401, STAFF, 200, AGENT_HERE,
                200, SUPERVISOR_ELSEWHERE, 200, AUDITOR, 403, OPS, 403, ADMIN, 403, SURVEY_SENDER, 403));
        expect(HttpMethod.GET, "/api/requests?email=tunde@example.net", null, Map.of(STAFF, 200, AUDITOR, 403));
        expect(HttpMethod.GET, "/api/requests/" + routedId + "/events", null, Map.of(NONE, 401, OPS, 403,
                ADMIN, 403, AGENT_ELSEWHERE, 403));
        expect(HttpMethod.GET, "/api/requests/events?filedBy=someone.else", null, Map.of(STAFF, 403, NONE, 401));
    }

    @Test
    void shouldLetThoseWhoFileLookForDuplicateCandidates() {
        expect(HttpMethod.GET, "/api/requests/nearby?serviceCode=pothole&lat=40.7128&long=-74.006", null, Map.of(
                NONE, 401, STAFF, 200, AGENT_HERE, 200, SUPERVISOR_ELSEWHERE, 200, AUDITOR, 403, OPS, 403,
                ADMIN, 403, SURVEY_SENDER, 403));
    }

    @Test
    void shouldLetTheConsolesPublicIdentityTrackARequestAndNothingElse() {
        // the public tracking read: the console's public identity and every person's role
        expect(HttpMethod.GET, "/api/track/" + routedId, null, Map.of(NONE, 401, PUBLIC_READER, 200, STAFF, 200,
                AGENT_HERE, 200, AGENT_ELSEWHERE, 200, AUDITOR, 200, OPS, 200, ADMIN, 200, SURVEY_SENDER, 403));
        expect(HttpMethod.GET, "/api/track/311-99999999", null, Map.of(PUBLIC_READER, 404));
        // and nothing else: no request, search, person, stream, filing, link, caller, audit, contact or key
        for (String uri : List.of("/api/requests/" + routedId, "/api/requests", "/api/requests?phone=2125550188",
                "/api/requests/nearby?serviceCode=pothole&lat=40.7128&long=-74.006", "/api/requests/" + routedId
                        + "/events", "/api/requests/events", "/api/requests/" + routedId + "/audit",
                "/api/requests/" + routedId + "/contact", "/api/open311/clients")) {
            expect(HttpMethod.GET, uri, null, Map.of(PUBLIC_READER, 403));
        }
        expect(HttpMethod.POST, "/api/requests", pothole(), Map.of(PUBLIC_READER, 403));
        expect(HttpMethod.POST, "/api/requests/" + routedId + "/reporters", Map.of("note", "same"),
                Map.of(PUBLIC_READER, 403));
        expect(HttpMethod.POST, "/api/requests/" + routedId + "/duplicate-of/311-99999999", null,
                Map.of(PUBLIC_READER, 403));
        expect(HttpMethod.POST, "/api/open311/clients", Map.of("name", "x"), Map.of(PUBLIC_READER, 403));
    }

    @Test
    void shouldGiveTheSurveySenderTheConsentedAddressOfAResolvedRequestAndNothingElse() {
        // given a routed request whose resident gave an address and consent: not resolved yet, so "ask again"
        expect(HttpMethod.GET, "/api/requests/" + routedId + "/contact", null, Map.of(NONE, 401, SURVEY_SENDER, 409,
                STAFF, 403, AGENT_HERE, 403, SUPERVISOR_HERE, 403, AUDITOR, 403, OPS, 403, ADMIN, 403));
        call(HttpMethod.GET, "/api/requests/" + routedId + "/contact", SURVEY_SENDER, null)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat(detail.toString())
                        .contains("not resolved here yet (routed)"));

        // when the resolution reaches request-service
        new KafkaTestClient(brokers).send("city311.routing", routedId,
                KafkaTestClient.example(EventContract.example("city311.request.resolved.v1"), routedId));
        await().atMost(Duration.ofSeconds(20)).until(() -> call(HttpMethod.GET, "/api/requests/" + routedId
                + "/contact", SURVEY_SENDER, null).returnResult(String.class).getStatus().value() == 200);

        // then the sender gets the consent and the address, and not a word more
        call(HttpMethod.GET, "/api/requests/" + routedId + "/contact", SURVEY_SENDER, null).expectStatus().isOk()
                .expectBody().json("{\"requestId\":\"" + routedId + "\",\"consentToContact\":true,"
                        + "\"email\":\"tunde@example.net\",\"additionalRecipients\":[]}", true);
        expect(HttpMethod.GET, "/api/requests/" + routedId + "/contact", null, Map.of(STAFF, 403, AUDITOR, 403));
        expect(HttpMethod.GET, "/api/requests/311-99999999/contact", null, Map.of(SURVEY_SENDER, 404));
        // and its identity opens nothing else: not the request, the search, filing, a stream or an audit trail
        expect(HttpMethod.GET, "/api/requests/" + routedId, null, Map.of(SURVEY_SENDER, 403));
        expect(HttpMethod.GET, "/api/requests", null, Map.of(SURVEY_SENDER, 403));
        expect(HttpMethod.POST, "/api/requests", pothole(), Map.of(SURVEY_SENDER, 403));
        expect(HttpMethod.GET, "/api/requests/" + routedId + "/events", null, Map.of(SURVEY_SENDER, 403));
        expect(HttpMethod.GET, "/api/requests/" + routedId + "/audit", null, Map.of(SURVEY_SENDER, 403));
        expect(HttpMethod.GET, "/api/open311/clients", null, Map.of(SURVEY_SENDER, 403));
    }

    @Test
    void shouldNarrowAnAgentsSearchToTheirDepartmentsWork() {
        assertThat(ids(AGENT_HERE)).contains(routedId);
        assertThat(ids(AGENT_ELSEWHERE)).doesNotContain(routedId);
        assertThat(ids(STAFF)).contains(routedId);
        // what a housing agent filed themselves, they still find
        String theirs = file(AGENT_ELSEWHERE);
        assertThat(ids(AGENT_ELSEWHERE)).contains(theirs);
    }

    @Test
    void shouldShowTheResidentsDetailsOnlyToStaffAndTheRoutedDepartment() {
        assertThat(resident(STAFF)).containsEntry("phone", "212-555-0188");
        assertThat(resident(AGENT_HERE)).containsEntry("lastName", "Okafor");
        assertThat(resident(AUDITOR)).isNull();
        // and never in the event other services read
        assertThat(new KafkaTestClient(brokers).readAll("city311.requests", Duration.ofSeconds(2)))
                .filteredOn(record -> routedId.equals(record.key())).isNotEmpty()
                .allSatisfy(record -> assertThat(record.value()).doesNotContain("Okafor").doesNotContain("555-0188")
                        .doesNotContain("tunde@"));
    }

    @Test
    void shouldKeepOpen311HealthAndMetricsPublicAndClientKeysForAdmins() {
        expect(HttpMethod.GET, "/open311/v2/services.json", null, Map.of(NONE, 200));
        // (health says DOWN under the test store, which answers no "hello": what matters is no token is asked)
        assert401or403Not(HttpMethod.GET, "/actuator/health");
        expect(HttpMethod.GET, "/actuator/prometheus", null, Map.of(NONE, 200));
        expect(HttpMethod.GET, "/api/open311/clients", null, Map.of(NONE, 401, ADMIN, 200, STAFF, 403, OPS, 403,
                AUDITOR, 403, SUPERVISOR_HERE, 403));
        expect(HttpMethod.GET, "/api/no-such-thing", null, Map.of(NONE, 401, STAFF, 403));
    }

    @Test
    void shouldRefuseTokensThatAreForgedExpiredOrMalformedWithAChallenge() {
        String forged = "Bearer " + DevTokens.generate().mint("staff.amy", null, Role.STAFF);
        String expired = "Bearer " + DevTokens.generate().mint("staff.amy", "staff.amy", null, Duration.ofSeconds(-120),
                Role.STAFF);
        for (String token : List.of(forged, expired, "Bearer not-a-jwt")) {
            web.get().uri("/api/requests/{id}", routedId).header(HttpHeaders.AUTHORIZATION, token).exchange()
                    .expectStatus().isUnauthorized()
                    .expectHeader().valueMatches(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\".*")
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.status").isEqualTo(401);
        }
        // a token signed with the right key but of another issuer, for another audience, or without an expiry is
        // refused, and the challenge says which
        Map<String, String> refusals = Map.of(
                TestTokens.bearerWith(claims -> claims.issuer("https://login.other.example"), Role.STAFF),
                "error_description=\"The token was issued by 'https://login.other.example', not by 'http://localhost:9000' (iss)\"",
                TestTokens.bearerWith(claims -> claims.audience("another-app"), Role.STAFF),
                "error_description=\"The token is not meant for 'city311' (aud: [another-app])\"",
                TestTokens.bearerWith(claims -> claims.expirationTime(null), Role.STAFF),
                "error_description=\"The token has no expiry (exp)\"");
        refusals.forEach((token, reason) -> web.get().uri("/api/requests/{id}", routedId)
                .header(HttpHeaders.AUTHORIZATION, token).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().value(HttpHeaders.WWW_AUTHENTICATE, challenge -> assertThat(challenge)
                        .startsWith("Bearer error=\"invalid_token\"").contains(reason)));
        // a valid token that names no known role gets nothing
        web.get().uri("/api/requests/{id}", routedId)
                .header(HttpHeaders.AUTHORIZATION, TestTokens.bearer("visitor", null)).exchange()
                .expectStatus().isForbidden()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void shouldListWhoChangedWhatForAuditorsAndTheDepartmentsSupervisors() {
        // given the department's agent accepted the routed request
        new KafkaTestClient(brokers).send("city311.routing", routedId,
                KafkaTestClient.example(EventContract.example("city311.request.accepted.v1"), routedId)
                        .replace("\"datacontenttype\": \"application/json\",",
                                "\"datacontenttype\": \"application/json\", \"actedby\": \"agent.transportation\","));
        await().atMost(Duration.ofSeconds(20)).until(() -> "in_progress".equals(call(HttpMethod.GET,
                "/api/requests/" + routedId, STAFF, null).expectBody(Map.class).returnResult().getResponseBody()
                .get("status")));

        // then the audit trail names who did each step, and which service
        call(HttpMethod.GET, "/api/requests/" + routedId + "/audit", AUDITOR, null).expectStatus().isOk()
                .expectBody()
                .jsonPath("$.filedBy").isEqualTo("staff.amy")
                .jsonPath("$.changes[0].kind").isEqualTo("submitted")
                .jsonPath("$.changes[0].by").isEqualTo("staff.amy")
                .jsonPath("$.changes[0].service").isEqualTo("request-service")
                .jsonPath("$.changes[1].kind").isEqualTo("routed")
                .jsonPath("$.changes[1].by").doesNotExist()
                .jsonPath("$.changes[1].service").isEqualTo("routing-service")
                .jsonPath("$.changes[2].kind").isEqualTo("accepted")
                .jsonPath("$.changes[2].by").isEqualTo("agent.transportation")
                .jsonPath("$.changes[2].department").isEqualTo("transportation");
        expect(HttpMethod.GET, "/api/requests/" + routedId + "/audit", null, Map.of(NONE, 401, ADMIN, 200,
                SUPERVISOR_HERE, 200, SUPERVISOR_ELSEWHERE, 403, AGENT_HERE, 403, STAFF, 403, OPS, 403));
    }

    @Test
    void shouldFileInTheCallersOwnNameOnly() {
        Map<String, Object> body = new java.util.HashMap<>(pothole());
        body.put("filedBy", "someone.else");
        call(HttpMethod.POST, "/api/requests", STAFF, body).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("filedBy");
        body.remove("filedBy");
        body.put("channel", "internal");
        body.put("requestingDepartment", "transportation");
        call(HttpMethod.POST, "/api/requests", AGENT_ELSEWHERE, body).expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("requestingDepartment");
        body.put("requestingDepartment", "housing");
        call(HttpMethod.POST, "/api/requests", AGENT_ELSEWHERE, body).expectStatus().isCreated()
                .expectBody().jsonPath("$.filedBy").isEqualTo("agent.housing");
    }

    private void assert401or403Not(HttpMethod method, String uri) {
        // UP (200) or DOWN (503): an answer, not a demand for a token
        assertThat(call(method, uri, NONE, null).returnResult(byte[].class).getStatus().value()).as(uri)
                .isIn(200, 503);
    }

    private void expect(HttpMethod method, String uri, Object body, Map<String, Integer> statusByToken) {
        statusByToken.forEach((token, status) -> {
            int actual = call(method, uri, token, body).returnResult(byte[].class).getStatus().value();
            assertThat(actual).as("%s %s as %s", method, uri, who(token)).isEqualTo(status);
        });
    }

    private WebTestClient.ResponseSpec call(HttpMethod method, String uri, String token, Object body) {
        // no token: an empty header, which also keeps the tests' standard caller out
        WebTestClient.RequestBodySpec request = web.method(method).uri(uri)
                .headers(headers -> headers.set(HttpHeaders.AUTHORIZATION, token.isEmpty() ? null : token));
        return body == null ? request.exchange()
                : request.contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private String file(String token) {
        return call(HttpMethod.POST, "/api/requests", token, pothole()).expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();
    }

    @SuppressWarnings("unchecked")
    private List<String> ids(String token) {
        Map<String, Object> page = call(HttpMethod.GET, "/api/requests?limit=100", token, null).expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
        return ((List<Map<String, Object>>) page.get("items")).stream().map(item -> (String) item.get("id")).toList();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> resident(String token) {
        return (Map<String, Object>) call(HttpMethod.GET, "/api/requests/" + routedId, token, null)
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody().get("resident");
    }

    private static Map<String, Object> pothole() {
        return Map.of("serviceCode", "pothole", "channel", "phone", "description", "Deep pothole by the bus stop",
                "location", Map.of("address", "12 Canal St"), "attributes", Map.of("size", "large"),
                "resident", Map.of("firstName", "Tunde", "lastName", "Okafor", "phone", "212-555-0188",
                        "email", "tunde@example.net", "consentToContact", true));
    }

    private static String who(String token) {
        return token.isEmpty() ? "nobody" : token.substring(0, 20) + "...";
    }
}
