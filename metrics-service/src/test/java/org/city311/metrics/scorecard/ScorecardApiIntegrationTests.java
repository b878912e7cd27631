package org.city311.metrics.scorecard;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.city311.platform.security.Role;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.KafkaTestClient.Outgoing;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.platform.test.TestClock;
import org.city311.platform.test.TestTokens;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the console's service-level pages read: scorecards, trends and resolution times answered from what was
 * computed (the store read once per window and freshness, counted by the store's own commands), and the public
 * subset the console's public pages may read with their {@code public-reader} token. Against the real broker and
 * the Mongo-wire store, with three days of a small department's requests.
 */
@ServiceIntegrationTest
@EmbeddedKafka(partitions = 3, topics = { "city311.requests", "city311.routing", "city311.feedback" })
@TestPropertySource(properties = { "city311.metrics.scorecards.freshness=10m", "city311.metrics.refresh=1h" })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScorecardApiIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant DAY_BEFORE = Instant.parse("2026-11-21T00:00:00Z");
    private static final Instant YESTERDAY = Instant.parse("2026-11-22T00:00:00Z");
    private static final Instant TODAY = Instant.parse("2026-11-23T00:00:00Z");

    /** Every {@code find} the service sends to the ledgers' collection: each is one reading of the store. */
    static final AtomicInteger LEDGER_READS = new AtomicInteger();

    @TestConfiguration
    static class CountingStoreCommands {
        @Bean
        MongoClientSettingsBuilderCustomizer countLedgerReads() {
            return settings -> settings.addCommandListener(new CommandListener() {
                @Override
                public void commandStarted(CommandStartedEvent event) {
                    if ("find".equals(event.getCommandName())
                            && "ledgers".equals(event.getCommand().getString("find").getValue())) {
                        LEDGER_READS.incrementAndGet();
                    }
                }
            });
        }
    }

    @LocalServerPort
    int port;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Autowired
    TestClock clock;

    @BeforeAll
    void threeDaysOfParksAndOneSanitationRequest() {
        assertThat(clock.instant()).isBefore(TODAY.plus(Duration.ofDays(1)));
        List<Outgoing> events = new ArrayList<>();
        // the day before yesterday: received and resolved in two hours, on time
        request(events, "311-7100001", "parks", DAY_BEFORE.plus(Duration.ofHours(10)), Duration.ofHours(14),
                Duration.ofHours(2));
        // its customer, satisfied (4), answers yesterday
        events.add(event("city311.feedback", "city311.feedback.received.v1", "311-7100001",
                YESTERDAY.plus(Duration.ofHours(9)), data("feedbackId", "fb-7100001", "requestId", "311-7100001",
                        "department", "parks", "serviceCode", "tree-damage", "source", "survey", "satisfaction", 4,
                        "resolved", true, "receivedAt", YESTERDAY.plus(Duration.ofHours(9)))));
        // yesterday: received, resolved in twelve hours, ten after its due time
        request(events, "311-7100002", "parks", YESTERDAY.plus(Duration.ofHours(8)), Duration.ofHours(2),
                Duration.ofHours(12));
        // today: received, still open
        request(events, "311-7100003", "parks", TODAY.plus(Duration.ofHours(6)), Duration.ofHours(72), null);
        // sanitation: a day exactly, on a bucket's bound
        request(events, "311-7100004", "sanitation", YESTERDAY.plus(Duration.ofHours(9)), Duration.ofHours(48),
                Duration.ofDays(1));
        new KafkaTestClient(brokers).sendAll(events);

        // the fold has them all (read on the Prometheus view, which is computed from memory, not the store)
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            String scraped = get("/actuator/prometheus", TestTokens.only(Role.OPS)).expectStatus().isOk()
                    .expectBody(String.class).returnResult().getResponseBody();
            assertThat(sum(scraped, "city311_requests_resolved_total")).isEqualTo(3);
            assertThat(sum(scraped, "city311_requests_routed_total")).isEqualTo(4);
            assertThat(sum(scraped, "city311_feedback_received_total")).isEqualTo(1);
        });
    }

    @Test
    void shouldReadTheStoreOncePerWindowHoweverOftenPagesAskWithinTheFreshness() {
        // given whatever other tests had computed grown older than the freshness
        clock.advance(Duration.ofMinutes(11));
        int before = LEDGER_READS.get();

        // when the service-level pages load three times: scorecards, a department's card, its resolution times
        for (int load = 0; load < 3; load++) {
            json("/api/scorecards", TestTokens.only(Role.OPS));
            json("/api/scorecards/parks", TestTokens.agent("parks"));
            json("/api/scorecards/parks/resolution-times", TestTokens.only(Role.PUBLIC_READER));
        }
        // then the ledgers were read once, for the one window (the last 30 days) they all ask about
        assertThat(LEDGER_READS.get() - before).isEqualTo(1);

        // and a trend, asked three times, reads them once more; the goals (all their windows at once) once
        for (int load = 0; load < 3; load++) {
            json("/api/scorecards/parks/trend?days=3", TestTokens.only(Role.OPS));
            json("/api/goals", TestTokens.only(Role.OPS));
        }
        assertThat(LEDGER_READS.get() - before).isEqualTo(3);

        // when the freshness has passed, the next page load computes the window again, once
        clock.advance(Duration.ofMinutes(11));
        json("/api/scorecards", TestTokens.only(Role.OPS));
        json("/api/scorecards/parks", TestTokens.only(Role.OPS));
        assertThat(LEDGER_READS.get() - before).isEqualTo(4);
    }

    @Test
    void shouldDrawADepartmentsMeasuresDayByDay() {
        // when a chart asks for the last three days of the parks department
        JsonNode trend = json("/api/scorecards/parks/trend?days=3", TestTokens.only(Role.SUPERVISOR));

        // then there is a point a day, with received, resolved, on time and satisfaction
        assertThat(trend.path("department").asString()).isEqualTo("parks");
        assertThat(trend.path("firstDay").asString()).isEqualTo("2026-11-21");
        assertThat(trend.path("lastDay").asString()).isEqualTo("2026-11-23");
        assertThat(trend.path("measures").toString())
                .isEqualTo("[\"routed\",\"resolved\",\"resolved-within-standard-ratio\",\"satisfaction-mean\"]");
        JsonNode points = trend.path("points");
        assertThat(points).hasSize(3);
        assertThat(points.get(0).toString()).isEqualTo("{\"date\":\"2026-11-21\",\"values\":{\"routed\":1.0,"
                + "\"resolved\":1.0,\"resolved-within-standard-ratio\":1.0,\"satisfaction-mean\":null}}");
        assertThat(points.get(1).toString()).isEqualTo("{\"date\":\"2026-11-22\",\"values\":{\"routed\":1.0,"
                + "\"resolved\":1.0,\"resolved-within-standard-ratio\":0.0,\"satisfaction-mean\":4.0}}");
        assertThat(points.get(2).toString()).isEqualTo("{\"date\":\"2026-11-23\",\"values\":{\"routed\":1.0,"
                + "\"resolved\":0.0,\"resolved-within-standard-ratio\":null,\"satisfaction-mean\":null}}");

        // and other measures when asked for, in the order asked
        JsonNode chosen = json("/api/scorecards/parks/trend?days=3&measure=reopened,satisfied-ratio",
                TestTokens.only(Role.OPS));
        assertThat(chosen.path("points").get(1).path("values").toString())
                .isEqualTo("{\"reopened\":0.0,\"satisfied-ratio\":1.0}");
    }

    @Test
    void shouldCountResolutionTimesInTheBucketsOfTheDashboards() {
        // when a chart asks how long the parks department's resolutions took over the last 30 days
        JsonNode parks = json("/api/scorecards/parks/resolution-times", TestTokens.only(Role.OPS));

        // then the two hours and the twelve hours are each in their bucket, bounds in seconds
        assertThat(parks.path("count").asLong()).isEqualTo(2);
        JsonNode buckets = parks.path("buckets");
        assertThat(buckets).hasSize(15);
        assertThat(buckets.get(0).toString()).isEqualTo("{\"fromSeconds\":0,\"toSeconds\":3600,\"count\":0}");
        assertThat(buckets.get(1).toString()).isEqualTo("{\"fromSeconds\":3600,\"toSeconds\":14400,\"count\":1}");
        assertThat(buckets.get(3).toString()).isEqualTo("{\"fromSeconds\":28800,\"toSeconds\":86400,\"count\":1}");
        assertThat(buckets.get(14).toString()).isEqualTo("{\"fromSeconds\":7776000,\"toSeconds\":null,\"count\":0}");
        // and a day exactly is in the bucket up to a day, as Prometheus's le counts it
        JsonNode sanitation = json("/api/scorecards/sanitation/resolution-times?from=2026-11-01",
                TestTokens.only(Role.OPS));
        assertThat(sanitation.path("buckets").get(3).path("count").asLong()).isEqualTo(1);
        assertThat(sanitation.path("from").asString()).isEqualTo("2026-11-01T00:00:00Z");
    }

    @Test
    void shouldRefuseABadTrendOrHistogramWithAProblem() {
        String ops = TestTokens.only(Role.OPS);
        for (String days : List.of("0", "367", "a-week")) {
            get("/api/scorecards/parks/trend?days=" + days, ops).expectStatus().isBadRequest()
                    .expectHeader().contentType("application/problem+json")
                    .expectBody().jsonPath("$.errors[0].field").isEqualTo("days");
        }
        get("/api/scorecards/parks/trend?measure=happiness", ops).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("measure");
        get("/api/scorecards/parks/resolution-times?from=2026-12-01&to=2026-11-01", ops).expectStatus()
                .isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("from");
        get("/api/scorecards/no-such-department/trend", ops).expectStatus().isNotFound()
                .expectHeader().contentType("application/problem+json");
        get("/api/scorecards/no-such-department/resolution-times", ops).expectStatus().isNotFound();
        get("/api/scorecards/Parks!/trend", ops).expectStatus().isBadRequest();
    }

    @Test
    void shouldLetThePublicPagesReadScorecardsTrendsAndResolutionTimesAndNothingElse() {
        String publicReader = TestTokens.only(Role.PUBLIC_READER);
        // the departments' figures: what any resident may see
        for (String path : List.of("/api/scorecards", "/api/scorecards/parks", "/api/scorecards/parks/trend",
                "/api/scorecards/parks/resolution-times", "/api/scorecards/parks/trend?days=7&measure=resolved")) {
            get(path, publicReader).expectStatus().isOk();
        }
        // a scorecard holds figures only, the same the city's staff see: nothing to leave out (and nothing more
        // may come into it unnoticed: its fields are these)
        JsonNode card = json("/api/scorecards/parks", publicReader);
        List<String> fields = new ArrayList<>();
        card.propertyNames().forEach(fields::add);
        assertThat(fields).containsExactly("department", "measures", "satisfaction", "now");
        assertThat(card).isEqualTo(json("/api/scorecards/parks", TestTokens.only(Role.OPS)));
        List<String> top = new ArrayList<>();
        json("/api/scorecards", publicReader).propertyNames().forEach(top::add);
        assertThat(top).containsExactly("from", "to", "departments", "ranking");

        // nothing else: not the goals, not the actuator beyond what is public to the network anyway
        get("/api/goals", publicReader).expectStatus().isForbidden()
                .expectHeader().contentType("application/problem+json");
        get("/api/anything-else", publicReader).expectStatus().isForbidden();
        get("/actuator/info", publicReader).expectStatus().isOk();
        get("/actuator/metrics", publicReader).expectStatus().isForbidden();
        WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build().post().uri("/api/scorecards")
                .header(HttpHeaders.AUTHORIZATION, publicReader).exchange().expectStatus().isForbidden();
        // and a token without any role still reads nothing; people's roles read everything as before
        get("/api/scorecards", TestTokens.bearer("visitor", null)).expectStatus().isForbidden();
        get("/api/scorecards", TestTokens.only(Role.SURVEY_SENDER)).expectStatus().isForbidden();
        get("/api/scorecards/parks", null).expectStatus().isUnauthorized();
        for (Role person : Role.PEOPLE) {
            get("/api/goals", TestTokens.only(person)).expectStatus().isOk();
            get("/api/scorecards/parks/trend", TestTokens.only(person)).expectStatus().isOk();
        }
    }

    /** A request submitted at {@code submitted}, routed a second later, resolved after {@code resolvedAfter}. */
    private static void request(List<Outgoing> events, String id, String department, Instant submitted,
            Duration standard, Duration resolvedAfter) {
        Instant routed = submitted.plusSeconds(1);
        events.add(event("city311.routing", "city311.request.routed.v1", id, routed, data("requestId", id,
                "serviceCode", "tree-damage", "department", department, "rule", "service-owner", "routedAt", routed,
                "sequence", 1, "firstActionDueAt", submitted.plus(standard), "resolutionDueAt",
                submitted.plus(standard), "submittedAt", submitted, "channel", "phone", "segment", "resident")));
        if (resolvedAfter != null) {
            Instant resolved = submitted.plus(resolvedAfter);
            events.add(event("city311.routing", "city311.request.resolved.v1", id, resolved, data("requestId", id,
                    "serviceCode", "tree-damage", "department", department, "resolutionCode", "fixed", "note",
                    "Done", "resolvedAt", resolved, "sequence", 2, "firstActionAt", resolved, "firstActionDueAt",
                    submitted.plus(standard), "resolutionDueAt", submitted.plus(standard), "pausedSeconds", 0)));
        }
    }

    private static Outgoing event(String topic, String type, String id, Instant at, Map<String, Object> data) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("specversion", "1.0");
        event.put("id", UUID.randomUUID().toString());
        event.put("source", "/city311/test");
        event.put("type", type);
        event.put("subject", id);
        event.put("time", at.toString());
        event.put("datacontenttype", "application/json");
        event.put("data", data);
        return new Outgoing(topic, id, JSON.writeValueAsString(event));
    }

    private static Map<String, Object> data(Object... pairs) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            data.put((String) pairs[i], pairs[i + 1] instanceof Instant instant ? instant.toString() : pairs[i + 1]);
        }
        return data;
    }

    /** The sum over every series of a counter (all labels, all partitions). */
    private static double sum(String scraped, String counter) {
        double total = 0;
        for (String line : scraped.split("\n")) {
            if (line.startsWith(counter + "{") || line.startsWith(counter + " ")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    private WebTestClient.ResponseSpec get(String path, String token) {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build().get().uri(path)
                .headers(headers -> {
                    if (token != null) {
                        headers.set(HttpHeaders.AUTHORIZATION, token);
                    }
                })
                .exchange();
    }

    private JsonNode json(String path, String token) {
        return JSON.readTree(get(path, token).expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody());
    }
}
