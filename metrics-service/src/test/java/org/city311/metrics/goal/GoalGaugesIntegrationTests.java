package org.city311.metrics.goal;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.json.JsonMapper;

import org.junit.jupiter.api.Test;

import org.city311.metrics.MetricsServiceApplication;
import org.city311.platform.security.Role;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.platform.test.TestClock;
import org.city311.platform.test.TestTokens;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The goal gauges right after a start: computed once the fold has caught up with its partitions, not a refresh
 * period later. The refresh period is an hour here, so only that first computation can show them.
 */
@EmbeddedKafka(partitions = 3, topics = { "city311.requests", "city311.routing", "city311.feedback" })
class GoalGaugesIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant ROUTED_AT = TestClock.START.minus(Duration.ofHours(1));

    @Test
    void shouldShowTheGoalGaugesAsSoonAsTheFoldHasCaughtUpAfterAStart(EmbeddedKafkaBroker broker) {
        // given a request routed to transportation before metrics-service starts (as across a restart)
        new KafkaTestClient(broker.getBrokersAsString()).send("city311.routing", "311-70000001",
                routed("311-70000001", "transportation"));

        // when metrics-service starts with a goal on it and a refresh period of an hour
        try (ConfigurableApplicationContext service = start(broker)) {
            int port = Integer.parseInt(service.getEnvironment().getProperty("local.server.port"));

            // then the goal's progress (one routed of a target of four: 0.25) and its untripped guard are scraped
            // long before the first refresh
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(scrape(port))
                            .contains("city311_goal_progress_ratio{department=\"transportation\",goal=\"more-routed\"} 0.25")
                            .contains("city311_goal_guard_tripped{department=\"transportation\",goal=\"more-routed\"} 0"));
        }
    }

    @Test
    void shouldComputeTheGoalsAgainOnlyOnceSomethingWasFoldedOrAfterTheIdleRefresh(EmbeddedKafkaBroker broker) {
        // given metrics-service started with a goal, past its first computation
        KafkaTestClient kafka = new KafkaTestClient(broker.getBrokersAsString());
        try (ConfigurableApplicationContext service = start(broker)) {
            Goals goals = service.getBean(Goals.class);
            TestClock clock = service.getBean(TestClock.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> goals.computations() >= 1);
            // (once what it caught up with is all written)
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                long before = goals.computations();
                goals.refresh();
                return goals.computations() == before;
            });
            long first = goals.computations();

            // when its refresh comes with nothing folded since, then it reads no ledger
            goals.refresh();
            goals.refresh();
            assertThat(goals.computations()).as("nothing folded").isEqualTo(first);

            // when a request is routed (another department's: the other test's goal stays as it asserts), then the
            // next refresh once it is folded computes the goals again
            kafka.send("city311.routing", "311-70000002", routed("311-70000002", "parks"));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                goals.refresh();
                return goals.computations() > first;
            });
            long folded = goals.computations();
            goals.refresh();
            assertThat(goals.computations()).as("nothing folded since").isEqualTo(folded);

            // and when the idle refresh's hour has passed with nothing folded, it computes them again
            clock.advance(Duration.ofHours(1).plusSeconds(1));
            goals.refresh();
            assertThat(goals.computations()).as("an hour later").isEqualTo(folded + 1);
        }
    }

    private static ConfigurableApplicationContext start(EmbeddedKafkaBroker broker) {
        String goal = "--city311.metrics.goals[0].";
        return new SpringApplicationBuilder(MetricsServiceApplication.class)
                .initializers(new ServiceIntegrationTest.Infrastructure(broker.getBrokersAsString()))
                .run("--server.port=0", "--logging.level.root=WARN", "--logging.level.org.city311=INFO",
                        "--city311.metrics.refresh=1h",
                        "--spring.cloud.stream.bindings.serviceEvents-in-0.group=metrics-" + UUID.randomUUID(),
                        goal + "id=more-routed", goal + "kind=service", goal + "title=Route more",
                        goal + "department=transportation", goal + "measure=routed", goal + "baseline=0",
                        goal + "target=4", goal + "period.from=2026-11-01", goal + "period.to=2026-12-01",
                        goal + "guard.measure=reopen-rate", goal + "guard.threshold=0.05",
                        goal + "guard.baseline=0");
    }

    private static String scrape(int port) {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .defaultHeader(HttpHeaders.AUTHORIZATION, TestTokens.only(Role.OPS)).build()
                .get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
    }

    /** {@code city311.request.routed.v1}, as routing-service publishes it (see contracts/examples). */
    private static String routed(String requestId, String department) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("requestId", requestId);
        data.put("serviceCode", "pothole");
        data.put("department", department);
        data.put("rule", "service-owner");
        data.put("routedAt", ROUTED_AT.toString());
        data.put("sequence", 1);
        data.put("firstActionDueAt", ROUTED_AT.plus(Duration.ofDays(1)).toString());
        data.put("resolutionDueAt", ROUTED_AT.plus(Duration.ofDays(3)).toString());
        data.put("submittedAt", ROUTED_AT.minusSeconds(1).toString());
        data.put("channel", "web");
        data.put("segment", "resident");
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("specversion", "1.0");
        event.put("id", UUID.randomUUID().toString());
        event.put("source", "/city311/routing-service");
        event.put("type", "city311.request.routed.v1");
        event.put("subject", requestId);
        event.put("time", ROUTED_AT.toString());
        event.put("datacontenttype", "application/json");
        event.put("data", data);
        return JSON.writeValueAsString(event);
    }
}
