package org.city311.feedback.survey;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.city311.contracts.EventContract;
import org.city311.feedback.Events;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.TestClock;
import org.city311.platform.test.TestTokens;
import org.city311.platform.test.ServiceIntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What happens when time passes: survey windows that end, follow-ups that fall due. The service's clock is moved
 * forward by the tests (and only forward), and its sweeps run every 200 ms instead of every minute.
 */
@ServiceIntegrationTest
@EmbeddedKafka(partitions = 3, topics = { "city311.requests", "city311.routing", "city311.feedback" })
@TestPropertySource(properties = { "city311.surveys.sweep-interval=200ms", "city311.surveys.delivery-interval=200ms",
        "city311.follow-ups.sweep-interval=200ms" })
class SurveyDeadlinesIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    WebTestClient web;

    @Autowired
    TestClock clock;

    @Autowired
    ReactiveMongoTemplate mongo;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    KafkaTestClient kafka;

    @BeforeEach
    void kafka() {
        kafka = new KafkaTestClient(brokers);
    }

    @Test
    void shouldPublishSurveyExpiredOnceWhenTheWindowEndsUnanswered() {
        // given a resolved request whose resident was invited
        String id = Events.newRequestId();
        resolved(id, "transportation");
        String token = linkOf(awaitSurvey(id));

        // when fourteen days and a bit pass without an answer
        clock.advance(Duration.ofDays(14).plusMinutes(1));

        // then survey-expired asks routing-service to close that resolution, once
        ConsumerRecord<String, String> expired = kafka.await("city311.feedback", r -> id.equals(r.key())
                && Events.type(r.value()).equals("city311.survey.expired.v1"), WAIT);
        EventContract.assertValid(expired.value());
        JsonNode data = Events.data(expired.value());
        assertThat(data.get("surveyId").asString()).isEqualTo(id);
        assertThat(data.get("resolutionSequence").asLong()).isEqualTo(2);
        assertThat(data.get("department").asString()).isEqualTo("transportation");
        assertThat(data.get("serviceCode").asString()).isEqualTo("streetlight-out");
        await().atMost(WAIT).untilAsserted(() -> assertThat(awaitSurvey(id).get("status").asString())
                .isEqualTo("expired"));
        assertThat(kafka.readAll("city311.feedback", Duration.ofSeconds(2)).stream()
                .filter(r -> id.equals(r.key()) && Events.type(r.value()).equals("city311.survey.expired.v1")))
                .hasSize(1);

        // and the link is closed: 410, as JSON and as a page
        web.post().uri("/api/surveys/{token}/responses", token).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("satisfaction", 4, "resolved", true)).exchange()
                .expectStatus().isEqualTo(410)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        web.get().uri("/surveys/{token}", token).accept(MediaType.TEXT_HTML).exchange()
                .expectStatus().isEqualTo(410)
                .expectBody(String.class).value(page -> assertThat(page).contains("This survey is closed"));
    }

    @Test
    void shouldNotExpireTheWindowOfAnAnsweredOrReopenedResolution() {
        // given three resolved requests: one whose survey is answered, one reopened since, one left alone
        String answered = Events.newRequestId();
        String reopened = Events.newRequestId();
        String leftAlone = Events.newRequestId();
        for (String id : List.of(answered, reopened, leftAlone)) {
            resolved(id, "sanitation");
        }
        String token = linkOf(awaitSurvey(answered));
        web.post().uri("/api/surveys/{token}/responses", token).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("satisfaction", 5, "resolved", true)).exchange().expectStatus().isCreated();
        kafka.send("city311.routing", reopened, Events.example(EventContract.REQUEST_REOPENED, reopened,
                Map.of("department", "sanitation", "serviceCode", "streetlight-out", "sequence", 3)));
        awaitSurvey(leftAlone);
        // feedback taken now answers no resolution: the reopen has reached feedback-service
        await().atMost(WAIT).untilAsserted(() -> web.post().uri("/api/feedback").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("requestId", reopened, "satisfaction", 3, "source", "comment_card")).exchange()
                .expectStatus().isCreated().expectBody().jsonPath("$.resolutionSequence").doesNotExist());

        // when their windows have passed
        clock.advance(Duration.ofDays(15));

        // then only the one left alone is closed by expiry
        kafka.await("city311.feedback", r -> leftAlone.equals(r.key())
                && Events.type(r.value()).equals("city311.survey.expired.v1"), WAIT);
        assertThat(kafka.readAll("city311.feedback", Duration.ofSeconds(2)).stream()
                .filter(r -> Events.type(r.value()).equals("city311.survey.expired.v1"))
                .map(ConsumerRecord::key))
                .doesNotContain(answered, reopened);
    }

    @Test
    void shouldKeepOnlyTheWindowsStillToEnd() {
        // given two resolved requests, one of which the department closes before its window ends
        String closed = Events.newRequestId();
        String leftAlone = Events.newRequestId();
        resolved(closed, "parks");
        resolved(leftAlone, "parks");
        awaitSurvey(closed);
        awaitSurvey(leftAlone);
        await().atMost(WAIT).until(() -> window(closed) != null && window(leftAlone) != null);

        // when the first is closed
        kafka.send("city311.routing", closed, Events.example(EventContract.REQUEST_CLOSED, closed,
                Map.of("department", "parks", "serviceCode", "streetlight-out", "sequence", 3)));

        // then its window is gone: nothing is left to end
        await().atMost(WAIT).until(() -> window(closed) == null);

        // and when the other's window ends unanswered, survey-expired is published once, and a window's length
        // later, with no event to remove it, the ended window is removed too
        clock.advance(Duration.ofDays(14).plusMinutes(1));
        kafka.await("city311.feedback", r -> leftAlone.equals(r.key())
                && Events.type(r.value()).equals("city311.survey.expired.v1"), WAIT);
        await().atMost(WAIT).untilAsserted(() -> {
            Document window = window(leftAlone);
            assertThat(window).isNotNull();
            assertThat(window.getString("status")).isEqualTo("expired");
            assertThat(window.getList("outbox", Document.class)).isEmpty();
        });
        clock.advance(Duration.ofDays(14).plusMinutes(1));
        await().atMost(WAIT).until(() -> window(leftAlone) == null);
        assertThat(kafka.readAll("city311.feedback", Duration.ofSeconds(2)).stream()
                .filter(r -> Events.type(r.value()).equals("city311.survey.expired.v1"))
                .map(ConsumerRecord::key))
                .containsOnlyOnce(leftAlone).doesNotContain(closed);
    }

    @Test
    void shouldExpireTheWindowOfAResolutionThatArrivedBeforeItsRouting() {
        // given a resolution that reached feedback-service before the request's routing, which comes after it
        String id = Events.newRequestId();
        kafka.send("city311.routing", id, Events.example(EventContract.REQUEST_RESOLVED, id,
                Map.of("department", "sanitation")));
        kafka.send("city311.routing", id, Events.example(EventContract.REQUEST_ROUTED, id,
                Map.of("department", "sanitation")));
        kafka.send("city311.requests", id, Events.example(EventContract.REQUEST_CREATED, id, Map.of()));
        awaitSurvey(id);

        // when the window passes
        clock.advance(Duration.ofDays(15));

        // then the late routing ended nothing: the resolution's window expires as any other
        ConsumerRecord<String, String> expired = kafka.await("city311.feedback", r -> id.equals(r.key())
                && Events.type(r.value()).equals("city311.survey.expired.v1"), WAIT);
        assertThat(Events.data(expired.value()).get("resolutionSequence").asLong()).isEqualTo(2);
        assertThat(Events.data(expired.value()).get("department").asString()).isEqualTo("sanitation");
    }

    private Document window(String requestId) {
        return mongo.findById(requestId, Document.class, "survey_windows").block(WAIT);
    }

    @Test
    void shouldPublishOverdueOnceForAFollowUpPastItsDueDateAndCloseItLate() {
        // given a follow-up opened by a dissatisfied caller
        String id = Events.newRequestId();
        kafka.send("city311.routing", id, Events.example(EventContract.REQUEST_ROUTED, id,
                Map.of("department", "parks")));
        String[] followUpId = new String[1];
        await().atMost(WAIT).untilAsserted(() -> {
            byte[] body = web.post().uri("/api/feedback").contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("requestId", id, "satisfaction", 2, "source", "phone")).exchange()
                    .expectStatus().isCreated().expectBody().returnResult().getResponseBody();
            followUpId[0] = JSON.readTree(body).get("followUpId").asString();
        });

        // when eight days pass (at least five business days)
        clock.advance(Duration.ofDays(8));

        // then its lateness is published once, and the department sees it overdue
        ConsumerRecord<String, String> overdue = kafka.await("city311.feedback", r -> id.equals(r.key())
                && Events.type(r.value()).equals("city311.followup.overdue.v1"), WAIT);
        EventContract.assertValid(overdue.value());
        assertThat(Events.data(overdue.value()).get("followUpId").asString()).isEqualTo(followUpId[0]);
        web.get().uri("/api/follow-ups?department=parks").header(HttpHeaders.AUTHORIZATION, TestTokens.supervisor("parks")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$[?(@.id == '" + followUpId[0] + "')].overdue").isEqualTo(true);
        assertThat(kafka.readAll("city311.feedback", Duration.ofSeconds(2)).stream()
                .filter(r -> id.equals(r.key()) && Events.type(r.value()).equals("city311.followup.overdue.v1")))
                .hasSize(1);

        // and closing it now is not on time
        web.post().uri("/api/follow-ups/{id}/close", followUpId[0]).header(HttpHeaders.AUTHORIZATION, TestTokens.supervisor("parks")).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("rootCause", "staffing", "action", "Two inspectors were out; cover arranged."))
                .exchange().expectStatus().isOk();
        ConsumerRecord<String, String> closed = kafka.await("city311.feedback", r -> id.equals(r.key())
                && Events.type(r.value()).equals("city311.followup.closed.v1"), WAIT);
        EventContract.assertValid(closed.value());
        assertThat(Events.data(closed.value()).get("onTime").asBoolean()).isFalse();
    }

    private void resolved(String id, String department) {
        kafka.send("city311.requests", id, Events.example(EventContract.REQUEST_CREATED, id, Map.of()));
        kafka.send("city311.routing", id, Events.example(EventContract.REQUEST_ROUTED, id,
                Map.of("department", department)));
        kafka.send("city311.routing", id, Events.example(EventContract.REQUEST_RESOLVED, id,
                Map.of("department", department)));
    }

    /** The secret of the survey's link, as staff fetch it to run it by phone. */
    private String linkOf(JsonNode survey) {
        String url = web.post().uri("/api/surveys/{id}/link", survey.get("id").asString()).exchange()
                .expectStatus().isOk().expectBody(JsonNode.class).returnResult().getResponseBody().get("url")
                .asString();
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private JsonNode awaitSurvey(String requestId) {
        JsonNode[] survey = new JsonNode[1];
        await().atMost(WAIT).untilAsserted(() -> {
            byte[] body = web.get().uri("/api/surveys?requestId={id}", requestId).exchange().expectStatus().isOk()
                    .expectBody().returnResult().getResponseBody();
            JsonNode surveys = JSON.readTree(body);
            assertThat(surveys.size()).isEqualTo(1);
            survey[0] = surveys.get(0);
        });
        return survey[0];
    }
}
