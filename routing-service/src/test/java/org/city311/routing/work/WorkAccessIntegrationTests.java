package org.city311.routing.work;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.city311.platform.security.Role;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.platform.test.TestTokens;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint of routing-service against every role: a department's agents and supervisors see and work only
 * what is routed to it, and a transfer hands that right to the department it goes to.
 */
@ServiceIntegrationTest
// a context of its own: one shared with a class that ran earlier would be resumed, and its consumers rejoin slowly
@TestPropertySource(properties = "city311.test.context=work-access")
class WorkAccessIntegrationTests {

    static final String NONE = "";
    static final String STAFF = TestTokens.staff("staff.amy");
    static final String AGENT_DOT = TestTokens.agent("transportation");
    static final String SUPERVISOR_DOT = TestTokens.supervisor("transportation");
    static final String AGENT_DEP = TestTokens.agent("environmental-protection");
    static final String AUDITOR = TestTokens.only(Role.AUDITOR);
    static final String OPS = TestTokens.only(Role.OPS);
    static final String ADMIN = TestTokens.only(Role.ADMIN);
    /** A valid token that gives no role people sign in with. */
    static final String NO_ROLE = TestTokens.bearer("visitor", null);
    static final String SURVEY_SENDER = TestTokens.only(Role.SURVEY_SENDER);
    /** The console's own identity for its public pages: what any resident may see, no queue. */
    static final String PUBLIC_READER = TestTokens.only(Role.PUBLIC_READER);

    @Autowired
    WebTestClient web;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Test
    void shouldShowADepartmentsQueueAndWorkToItsOwnPeopleAuditorsAndAdmins() {
        String id = routed("pothole");
        expect(HttpMethod.GET, RoutedRequests.WORK + "/" + id, null, Map.of(NONE, 401, AGENT_DOT, 200, SUPERVISOR_DOT, 200,
                AUDITOR, 200, ADMIN, 200, AGENT_DEP, 403, STAFF, 403, OPS, 403));
        expect(HttpMethod.GET, "/api/departments/transportation/queue", null, Map.of(NONE, 401, AGENT_DOT, 200,
                AUDITOR, 200, ADMIN, 200, AGENT_DEP, 403, STAFF, 403, OPS, 403, PUBLIC_READER, 403));
        expect(HttpMethod.GET, "/api/departments/transportation/queue/counts", null, Map.of(NONE, 401,
                AGENT_DOT, 200, SUPERVISOR_DOT, 200, AUDITOR, 200, ADMIN, 200, AGENT_DEP, 403, STAFF, 403, OPS, 403,
                PUBLIC_READER, 403));
        // assigning is a supervisor's (or an admin's): in bulk, nobody else gets past the door
        Map<String, Object> bulk = Map.of("agent", "k.osei", "items", java.util.List.of(Map.of("requestId", id)));
        expect(HttpMethod.POST, "/api/departments/transportation/assignments", bulk, Map.of(NONE, 401,
                AGENT_DOT, 403, AUDITOR, 403, STAFF, 403, OPS, 403, PUBLIC_READER, 403, SUPERVISOR_DOT, 200,
                ADMIN, 200));
    }

    @Test
    void shouldLetOnlyTheRoutedDepartmentActAndMoveThatRightWithATransfer() {
        String id = routed("pothole");
        Map<String, Object> note = Map.of("note", "Crew scheduled");
        expect(HttpMethod.POST, RoutedRequests.WORK + "/" + id + "/update", note, Map.of(NONE, 401, STAFF, 403, AUDITOR, 403,
                OPS, 403, AGENT_DEP, 403, AGENT_DOT, 200, SUPERVISOR_DOT, 200));

        // an agent accepts for themselves; naming someone else is a supervisor's call
        call(HttpMethod.POST, RoutedRequests.WORK + "/" + id + "/accept", AGENT_DOT, Map.of("agent", "someone.else"))
                .expectStatus().isForbidden();
        call(HttpMethod.POST, RoutedRequests.WORK + "/" + id + "/accept", AGENT_DOT, Map.of()).expectStatus().isOk()
                .expectBody().jsonPath("$.agent").isEqualTo("agent.transportation");

        // transferred to environmental protection: the right goes with it
        call(HttpMethod.POST, RoutedRequests.WORK + "/" + id + "/transfer", AGENT_DOT,
                Map.of("toDepartment", "environmental-protection", "reason", "Sewer cave-in, not a pothole"))
                .expectStatus().isOk();
        expect(HttpMethod.POST, RoutedRequests.WORK + "/" + id + "/update", note, Map.of(AGENT_DOT, 403, AGENT_DEP, 200));
        expect(HttpMethod.GET, RoutedRequests.WORK + "/" + id, null, Map.of(AGENT_DOT, 403, AGENT_DEP, 200));
        call(HttpMethod.POST, RoutedRequests.WORK + "/" + id + "/resolve", AGENT_DOT, Map.of("resolutionCode", "repaired"))
                .expectStatus().isForbidden().expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        web.get().uri(RoutedRequests.WORK + "/{id}", id).exchange().expectBody().jsonPath("$.status").isEqualTo("routed");
    }

    @Test
    void shouldLetEverySignedInRoleReadTheCatalogAndOnlyAdminsChangeIt() throws java.io.IOException {
        expect(HttpMethod.GET, "/api/catalog/services", null, Map.of(NONE, 401, STAFF, 200, AGENT_DEP, 200,
                AUDITOR, 200, OPS, 200, NO_ROLE, 403, SURVEY_SENDER, 403));
        expect(HttpMethod.GET, "/api/catalog/departments", null, Map.of(NONE, 401, OPS, 200, NO_ROLE, 403));
        expect(HttpMethod.GET, "/api/directory?q=pothole", null, Map.of(NONE, 401, STAFF, 200, NO_ROLE, 403,
                SURVEY_SENDER, 403));
        assertThat(status(HttpMethod.GET, "/api/catalog", ADMIN, null, "application/yaml")).isEqualTo(200);
        assertThat(status(HttpMethod.GET, "/api/catalog", AUDITOR, null, "application/yaml")).isEqualTo(200);
        for (String token : new String[] { STAFF, SUPERVISOR_DOT, OPS, AUDITOR }) {
            assertThat(status(HttpMethod.PUT, "/api/catalog", token, "catalogVersion: x\n", "application/yaml"))
                    .isEqualTo(403);
        }
        // and an admin's PUT goes through: the sample city's catalog, the one in force
        String sampleCity;
        try (var in = getClass().getResourceAsStream("/catalog/sample-city.yml")) {
            sampleCity = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        web.put().uri("/api/catalog").header(HttpHeaders.AUTHORIZATION, ADMIN)
                .contentType(MediaType.parseMediaType("application/yaml")).bodyValue(sampleCity)
                .exchange().expectStatus().isOk();
        expect(HttpMethod.GET, "/actuator/prometheus", null, Map.of(NONE, 200));
    }

    private String routed(String serviceCode) {
        return RoutedRequests.routed(brokers, serviceCode);
    }

    private void expect(HttpMethod method, String uri, Object body, Map<String, Integer> statusByToken) {
        statusByToken.forEach((token, status) -> assertThat(status(method, uri, token, body, null))
                .as("%s %s as %s", method, uri, token.isEmpty() ? "nobody" : token.substring(0, 20)).isEqualTo(status));
    }

    private int status(HttpMethod method, String uri, String token, Object body, String type) {
        WebTestClient.ResponseSpec response = call(method, uri, token, body, type);
        return response.returnResult(byte[].class).getStatus().value();
    }

    private WebTestClient.ResponseSpec call(HttpMethod method, String uri, String token, Object body) {
        return call(method, uri, token, body, null);
    }

    private WebTestClient.ResponseSpec call(HttpMethod method, String uri, String token, Object body, String type) {
        WebTestClient.RequestBodySpec request = web.method(method).uri(uri)
                .headers(headers -> headers.set(HttpHeaders.AUTHORIZATION, token.isEmpty() ? null : token));
        if (type != null) {
            request = request.header(HttpHeaders.ACCEPT, type);
        }
        if (body == null) {
            return request.exchange();
        }
        return request.contentType(type == null ? MediaType.APPLICATION_JSON : MediaType.parseMediaType(type))
                .bodyValue(body).exchange();
    }
}
