package org.city311.feedback.survey;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.city311.contracts.EventContract;
import org.city311.feedback.Events;
import org.city311.platform.security.Role;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.platform.test.TestTokens;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Coworkers are customers too: the staff who asked for an internal request find its survey in the console (their
 * department's and their own, never another department's), fetch its link and answer it as the customer. Against the
 * real broker and the Mongo-wire store.
 */
@ServiceIntegrationTest
@TestPropertySource(properties = { "city311.surveys.delivery-interval=200ms",
        "city311.web.trusted-proxies=127.0.0.1,::1,10.0.0.0/8" })
class InternalSurveysIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    WebTestClient webTestClient;

    @Autowired
    ReactiveMongoTemplate mongo;

    /** The services' clock (TestClock): what "still open" is judged against. */
    @Autowired
    java.time.Clock clock;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    WebTestClient web;
    KafkaTestClient kafka;

    @BeforeEach
    void fromAnAddressOfItsOwn() {
        UUID random = UUID.randomUUID();
        web = webTestClient.mutate().defaultHeader("X-Forwarded-For", "198.51." + Math.floorMod(
                random.getMostSignificantBits(), 256) + "." + Math.floorMod(random.getLeastSignificantBits(), 256)
                + ", 10.0.0.1").build();
        kafka = new KafkaTestClient(brokers);
    }

    @Test
    void shouldListTheSurveysOfTheCallersDepartmentAndOwnInternalRequestsAndNeverAnothers() {
        // given internal requests of parks (one filed by this agent, one by their supervisor), one of sanitation,
        // one of sanitation filed by a call-taker, and a resident's request the call-taker filed, all resolved
        String mine = resolvedInternal("parks", "agent.parks");
        String coworkers = resolvedInternal("parks", "supervisor.parks");
        String sanitations = resolvedInternal("sanitation", "agent.sanitation");
        String callTakers = resolvedInternal("sanitation", "staff.kim");
        String residents = Events.newRequestId();
        created(residents, Map.of(), "staff.kim");
        resolve(residents);
        for (String id : List.of(mine, coworkers, sanitations, callTakers)) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(surveysOf(id, TestTokens.staff("staff.amy")))
                    .singleElement().satisfies(survey -> assertThat(survey.path("status").asString())
                            .isEqualTo("sent")));
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(surveysOf(residents, TestTokens.staff("staff.amy")))
                .isNotEmpty());

        // when the parks agent opens their surveys
        JsonNode page = mySurveys(TestTokens.agent("parks"), "");

        // then they find both of their department's, open, with who asked; not sanitation's, not the resident's
        assertThat(requestIds(page)).contains(mine, coworkers).doesNotContain(sanitations, callTakers, residents);
        JsonNode first = surveyOf(page, mine);
        assertThat(first.path("requestingDepartment").asString()).isEqualTo("parks");
        assertThat(first.path("filedBy").asString()).isEqualTo("agent.parks");
        assertThat(first.path("channel").asString()).isEqualTo("internal");
        assertThat(first.path("status").asString()).isEqualTo("sent");
        assertThat(page.has("next")).isTrue();
        // and sanitation's supervisor finds sanitation's (also the one a call-taker filed for them), not parks'
        assertThat(requestIds(mySurveys(TestTokens.supervisor("sanitation"), "")))
                .contains(sanitations, callTakers).doesNotContain(mine, coworkers, residents);
        // and the call-taker finds the internal request they filed; a resident's request is the resident's survey
        assertThat(requestIds(mySurveys(TestTokens.staff("staff.kim"), ""))).contains(callTakers)
                .doesNotContain(residents, mine, sanitations);
        assertThat(requestIds(mySurveys(TestTokens.staff("staff.amy"), ""))).isEmpty();

        // when the console looks up one request's survey: the same rules
        assertThat(surveysOf(mine, TestTokens.agent("parks"))).hasSize(1);
        assertThat(surveysOf(coworkers, TestTokens.agent("parks"))).hasSize(1);
        assertThat(surveysOf(sanitations, TestTokens.agent("parks"))).isEmpty();
        assertThat(surveysOf(sanitations, TestTokens.agent("sanitation"))).hasSize(1);
        // the handling department's agents are not its customer (its supervisor still sees how it went)
        assertThat(surveysOf(mine, TestTokens.agent("transportation"))).isEmpty();
        assertThat(surveysOf(mine, TestTokens.supervisor("transportation"))).hasSize(1);
        // auditors read every one; the public and other machines none
        assertThat(surveysOf(mine, TestTokens.only(Role.AUDITOR))).hasSize(1);
        for (Role role : List.of(Role.PUBLIC_READER, Role.SURVEY_SENDER, Role.OPS)) {
            web.get().uri("/api/surveys?requestId={id}", mine).header(HttpHeaders.AUTHORIZATION, TestTokens.only(role))
                    .exchange().expectStatus().isForbidden();
            web.get().uri("/api/surveys").header(HttpHeaders.AUTHORIZATION, TestTokens.only(role))
                    .exchange().expectStatus().isForbidden();
        }
    }

    @Test
    void shouldPageTheCallersSurveysByCursorAndKeepAnsweredOnesForAll() {
        // given three internal requests housing asked for, resolved
        List<String> ids = List.of(resolvedInternal("housing", "agent.housing"),
                resolvedInternal("housing", "agent.housing"), resolvedInternal("housing", "supervisor.housing"));
        String agent = TestTokens.agent("housing");
        await().atMost(WAIT).untilAsserted(() -> assertThat(requestIds(mySurveys(agent, ""))).hasSize(3));

        // when the agent reads them two at a time
        JsonNode first = mySurveys(agent, "?limit=2");
        JsonNode second = mySurveys(agent, "?limit=2&after=" + first.path("next").asString());

        // then the pages hold each once, soonest closing first, and the last says there is no more
        assertThat(requestIds(first)).hasSize(2);
        assertThat(requestIds(second)).hasSize(1);
        assertThat(second.path("next").isNull()).isTrue();
        List<String> all = new ArrayList<>(requestIds(first));
        all.addAll(requestIds(second));
        assertThat(all).containsExactlyInAnyOrderElementsOf(ids);
        // as instants: "...04Z" and "...04.075Z" sort the wrong way round as strings
        List<java.time.Instant> closing = new ArrayList<>();
        first.path("surveys").forEach(survey -> closing.add(java.time.Instant.parse(survey.path("expiresAt")
                .asString())));
        second.path("surveys").forEach(survey -> closing.add(java.time.Instant.parse(survey.path("expiresAt")
                .asString())));
        assertThat(closing).isSorted();

        // when one is answered, the open ones are the other two, and every one is still listed with status=all
        String token = linkOf(surveyOf(first, requestIds(first).get(0)).path("id").asString(), agent);
        answer(token, agent).expectStatus().isCreated();
        assertThat(requestIds(mySurveys(agent, ""))).hasSize(2).doesNotContain(requestIds(first).get(0));
        JsonNode everyOne = mySurveys(agent, "?status=all&limit=1");
        List<String> pagedAll = new ArrayList<>(requestIds(everyOne));
        while (!everyOne.path("next").isNull()) {
            everyOne = mySurveys(agent, "?status=all&limit=1&after=" + everyOne.path("next").asString());
            pagedAll.addAll(requestIds(everyOne));
        }
        assertThat(pagedAll).containsExactlyInAnyOrderElementsOf(ids);

        // and a bad page is refused with a problem naming the parameter
        for (String[] bad : List.of(new String[] { "status=closed", "status" }, new String[] { "limit=0", "limit" },
                new String[] { "limit=101", "limit" }, new String[] { "after=not-a-cursor", "after" })) {
            web.get().uri("/api/surveys?" + bad[0]).header(HttpHeaders.AUTHORIZATION, agent).exchange()
                    .expectStatus().isBadRequest().expectHeader().contentType("application/problem+json")
                    .expectBody().jsonPath("$.errors[0].field").isEqualTo(bad[1]);
        }
        web.get().uri("/api/surveys?requestId=").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("requestId");
    }

    @Test
    void shouldRecordAnAgentAnsweringTheirDepartmentsInternalSurveyAsItsCustomer() {
        // given an internal request parks asked for (filed by their supervisor), resolved, its survey offered to parks
        String id = resolvedInternal("parks", "supervisor.parks");
        String agent = TestTokens.agent("parks");
        await().atMost(WAIT).untilAsserted(() -> assertThat(surveysOf(id, agent)).singleElement()
                .satisfies(survey -> assertThat(survey.path("status").asString()).isEqualTo("sent")));

        // when a parks agent fetches its link in the console and answers with their own token
        String token = linkOf(surveysOf(id, agent).get(0).path("id").asString(), agent);
        answer(token, agent).expectStatus().isCreated();

        // then it is the survey's response, given by that agent as the customer: not a resident, not by phone
        ConsumerRecord<String, String> received = kafka.await("city311.feedback", r -> id.equals(r.key())
                && Events.type(r.value()).equals("city311.feedback.received.v1"), WAIT);
        EventContract.assertValid(received.value());
        assertThat(JSON.readTree(received.value()).path("actedby").asString()).isEqualTo("agent.parks");
        assertThat(Events.data(received.value()).path("source").asString()).isEqualTo("survey");
        assertThat(Events.data(received.value()).path("segment").asString()).isEqualTo("internal");
        JsonNode survey = surveysOf(id, agent).get(0);
        assertThat(survey.path("status").asString()).isEqualTo("answered");
        assertThat(survey.path("channel").asString()).isEqualTo("internal");
        assertThat(survey.path("answeredBy").asString()).isEqualTo("agent.parks");
    }

    @Test
    void shouldRecordACallTakerAnsweringTheInternalRequestTheyFiledAsItsCustomer() {
        // given an internal request a call-taker filed for sanitation, resolved
        String id = resolvedInternal("sanitation", "staff.kim");
        String kim = TestTokens.staff("staff.kim");
        await().atMost(WAIT).untilAsserted(() -> assertThat(requestIds(mySurveys(kim, ""))).contains(id));

        // when they answer it with their own token
        answer(linkOf(surveysOf(id, kim).get(0).path("id").asString(), kim), kim).expectStatus().isCreated();

        // then it is theirs as the customer, not a resident's answers taken by phone
        JsonNode survey = surveysOf(id, kim).get(0);
        assertThat(survey.path("answeredBy").asString()).isEqualTo("staff.kim");
        assertThat(survey.path("channel").asString()).isEqualTo("internal");
    }

    @Test
    void shouldFindTheSurveysOfRequestsKnownFromBeforeTheRequesterWasKept() {
        // given a request and its invitation stored by an earlier version: no filedBy, no requester
        String id = Events.newRequestId();
        mongo.insert(new Document(Map.of("_id", id, "serviceCode", "streetlight-out", "department", "transportation",
                "status", "resolved", "sequence", 2L, "resolutionSequence", 2L, "channel", "internal", "segment",
                "internal", "requestingDepartment", "libraries")), "requests").block(WAIT);
        mongo.insert(new Document(Map.ofEntries(Map.entry("_id", id), Map.entry("requestId", id),
                Map.entry("tokenHash", SurveyTokens.hash(SurveyTokens.generate())), Map.entry("status", "sent"),
                Map.entry("channel", "internal"), Map.entry("department", "transportation"),
                Map.entry("serviceCode", "streetlight-out"), Map.entry("resolutionSequence", 2L),
                Map.entry("createdAt", java.util.Date.from(clock.instant())), Map.entry("expiresAt",
                        java.util.Date.from(clock.instant().plus(Duration.ofDays(400)))),
                Map.entry("deliveryAttempts", 1))), "surveys").block(WAIT);
        String agent = TestTokens.agent("libraries");

        // then its request's survey is found by what is known of the request
        assertThat(surveysOf(id, agent)).hasSize(1);
        assertThat(requestIds(mySurveys(agent, ""))).doesNotContain(id);

        // and once the start-up step has named the requester of older invitations, in the agent's list too
        assertThat(SurveyIndexes.describeRequesters(mongo).block(WAIT)).isGreaterThanOrEqualTo(1);
        assertThat(requestIds(mySurveys(agent, ""))).containsExactly(id);
        assertThat(SurveyIndexes.describeRequesters(mongo).block(WAIT)).as("each once").isZero();
        assertThat(requestIds(mySurveys(TestTokens.agent("parks"), ""))).doesNotContain(id);
    }

    /** An internal request {@code department} asked for, filed by {@code filer}, routed and resolved. */
    private String resolvedInternal(String department, String filer) {
        String id = Events.newRequestId();
        created(id, Map.of("channel", "internal", "segment", "internal", "requestingDepartment", department), filer);
        resolve(id);
        return id;
    }

    private void created(String id, Map<String, ?> data, String actedBy) {
        ObjectNode event = (ObjectNode) JSON.readTree(Events.example(EventContract.REQUEST_CREATED, id, data));
        event.put("actedby", actedBy);
        kafka.send("city311.requests", id, JSON.writeValueAsString(event));
    }

    private void resolve(String id) {
        kafka.send("city311.routing", id, Events.example(EventContract.REQUEST_ROUTED, id, Map.of()));
        kafka.send("city311.routing", id, Events.example(EventContract.REQUEST_RESOLVED, id, Map.of()));
    }

    private List<JsonNode> surveysOf(String requestId, String token) {
        byte[] body = web.get().uri("/api/surveys?requestId={id}", requestId)
                .header(HttpHeaders.AUTHORIZATION, token).exchange().expectStatus().isOk()
                .expectBody().returnResult().getResponseBody();
        List<JsonNode> surveys = new ArrayList<>();
        JSON.readTree(body).forEach(surveys::add);
        return surveys;
    }

    private JsonNode mySurveys(String token, String query) {
        return JSON.readTree(web.get().uri("/api/surveys" + query).header(HttpHeaders.AUTHORIZATION, token)
                .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody());
    }

    private static List<String> requestIds(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("surveys").forEach(survey -> ids.add(survey.path("requestId").asString()));
        return ids;
    }

    private static JsonNode surveyOf(JsonNode page, String requestId) {
        for (JsonNode survey : page.path("surveys")) {
            if (survey.path("requestId").asString().equals(requestId)) {
                return survey;
            }
        }
        throw new AssertionError("no survey of " + requestId + " in " + page);
    }

    /** A fresh link as the console fetches it for the signed-in staff member: its secret. */
    private String linkOf(String surveyId, String token) {
        String url = web.post().uri("/api/surveys/{id}/link", surveyId).header(HttpHeaders.AUTHORIZATION, token)
                .exchange().expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody()
                .path("url").asString();
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private WebTestClient.ResponseSpec answer(String token, String bearer) {
        return web.post().uri("/api/surveys/{token}/responses", token).header(HttpHeaders.AUTHORIZATION, bearer)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("satisfaction", 5, "resolved", true,
                        "comment", "Thanks, the lights in the park are back."))
                .exchange();
    }
}
