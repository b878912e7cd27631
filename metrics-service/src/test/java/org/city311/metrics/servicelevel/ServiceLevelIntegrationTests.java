package org.city311.metrics.servicelevel;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.junit.jupiter.api.Test;

import org.city311.metrics.MetricsServiceApplication;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.security.Role;
import org.city311.platform.test.MongoWireTestServer;
import org.city311.platform.test.TestClock;
import org.city311.platform.test.TestTokens;
import org.city311.platform.test.ServiceIntegrationTest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The figures an operations dashboard reads, for a scripted month of requests delivered through the real broker
 * twice over and in a shuffled order; then the same figures after a second instance joins (and leaves), and after a
 * replay of every topic into an empty store and a rebuild.
 */
@ServiceIntegrationTest
@EmbeddedKafka(partitions = 3, topics = { "city311.requests", "city311.routing", "city311.feedback" })
class ServiceLevelIntegrationTests {

    private static final Pattern SAMPLE = Pattern.compile("^(city311_[a-z_]+)(?:\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-z_]+)=\"([^\"]*)\"");
    private static final Scenario SCENARIO = Scenario.of(300, TestClock.START, "311-9");
    private static final AtomicBoolean MONTH_SENT = new AtomicBoolean();

    @LocalServerPort
    int port;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Value("${spring.mongodb.database}")
    String database;

    @Test
    void shouldShowTheFiguresTalliedByHandWhateverTheOrderAndDuplicates() {
        // given a month of requests, every event delivered twice, shuffled across and within topics
        // then every figure on /actuator/prometheus equals the hand tally
        monthFolded();
    }

    /**
     * The scripted month, sent through the broker by whichever test needs it first (once per class: the figures
     * count it once), and folded: every figure is the hand tally's.
     */
    private void monthFolded() {
        if (MONTH_SENT.compareAndSet(false, true)) {
            new KafkaTestClient(brokers).sendAll(SCENARIO.deliveries(311));
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertFigures(scrape(port)));
    }

    @Test
    void shouldGiveTheSameFiguresSummedAcrossTwoInstancesAndAfterOneLeaves() {
        monthFolded();
        // when a second instance joins the group, it takes some partitions and folds their ledgers from the store
        try (ConfigurableApplicationContext second = start(database, "metrics-service", false)) {
            int secondPort = port(second);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                Map<String, Double> first = scrape(port);
                Map<String, Double> other = scrape(secondPort);
                assertThat(partitions(first)).as("each instance owns some partitions").isNotEmpty();
                assertThat(partitions(other)).isNotEmpty();
                Map<String, Double> summed = new TreeMap<>(sumWithoutPartition(first));
                sumWithoutPartition(other).forEach((series, value) -> summed.merge(series, value, Double::sum));
                assertFiguresEqual(summed);
            });
        }
        // then, once it has left, this instance has every partition again, folded from the store as at a restart
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertFigures(scrape(port)));
    }

    @Test
    void shouldGiveTheSameFiguresFromAReplayIntoAnEmptyStoreAndFromARebuild() {
        monthFolded();
        String emptyStore = "replay_" + UUID.randomUUID().toString().substring(0, 8);
        String group = "metrics-replay-" + UUID.randomUUID().toString().substring(0, 8);
        try (ConfigurableApplicationContext replay = start(emptyStore, group, false)) {
            int replayPort = port(replay);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertFigures(scrape(replayPort)));
        }
        // the rebuild command on a store that has everything already: deleted, read again from the beginning
        try (ConfigurableApplicationContext rebuild = start(emptyStore, group, true)) {
            int rebuildPort = port(rebuild);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertFigures(scrape(rebuildPort)));
        }
    }

    @Test
    void shouldAnswerScorecardsWithTheSameFiguresAndRankDepartmentsBySatisfaction() {
        // given the month's events folded
        monthFolded();
        Map<String, Double> tally = SCENARIO.expected;
        Instant now = TestClock.START;
        String from = now.minus(Duration.ofDays(60)).toString();
        String to = now.plus(Duration.ofDays(1)).toString();

        // when operations asks for the scorecards over the whole month
        JsonNode scorecard = json("/api/scorecards?from=" + from + "&to=" + to);

        // then each department's every measure is the hand tally's
        Map<String, Double> means = new TreeMap<>();
        for (JsonNode card : scorecard.path("departments")) {
            String department = card.path("department").asString();
            JsonNode measures = card.path("measures");
            Tally t = new Tally(tally, department);
            double routed = t.get("city311_requests_routed_total");
            double resolved = t.sum("city311_requests_resolved_total", "");
            double answered = t.get("city311_feedback_received_total", "source", "survey");
            Map<String, Double> expected = new TreeMap<>();
            expected.put("routed", routed);
            expected.put("resolved", resolved);
            expected.put("reopened", t.get("city311_requests_reopened_total"));
            expected.put("transferred-out", t.sumFrom("city311_requests_transferred_total", "from_department"));
            expected.put("transferred-in", t.sumFrom("city311_requests_transferred_total", "to_department"));
            expected.put("negative-feedback", t.sum("city311_followups_opened_total", ""));
            expected.put("misrouted-at-intake", t.sum("city311_requests_misrouted_total",
                    "reason=\"wrong-service-chosen-at-intake\""));
            expected.put("misrouted-by-catalog", t.sum("city311_requests_misrouted_total",
                    "reason=\"wrong-department-in-catalog\""));
            expected.put("resolved-within-standard-ratio", t.get("city311_requests_resolved_within_standard_total")
                    / t.get("city311_requests_resolved_with_standard_total"));
            expected.put("first-actions-within-standard-ratio", t.get("city311_first_actions_within_standard_total")
                    / t.get("city311_first_actions_with_standard_total"));
            expected.put("transfers-per-request", expected.get("transferred-out") / routed);
            expected.put("routed-right-first-time-ratio", 1 - t.get("city311_requests_rerouted_total") / routed);
            expected.put("reopen-rate", expected.get("reopened") / resolved);
            expected.put("satisfaction-mean", (t.get("city311_feedback_satisfaction_sum", "source", "survey")
                    + t.get("city311_feedback_satisfaction_sum", "source", "phone"))
                    / (t.get("city311_feedback_satisfaction_count", "source", "survey")
                            + t.get("city311_feedback_satisfaction_count", "source", "phone")));
            expected.put("resolved-yes-rate", t.sum("city311_feedback_resolved_answers_total", "answer=\"yes\"")
                    / t.sum("city311_feedback_resolved_answers_total", ""));
            expected.put("survey-response-rate", answered / (answered + t.get("city311_surveys_expired_total")));
            double closed = t.sum("city311_followups_closed_total", "");
            double missed = t.get("city311_followups_missed_total");
            if (closed + missed > 0) {
                expected.put("followups-on-time-ratio", t.sum("city311_followups_closed_total", "on_time=\"true\"")
                        / (closed + missed));
            }
            expected.put("resolution-p50-seconds", percentile(t.observations("city311_resolution_seconds"), 0.5));
            expected.put("resolution-p90-seconds", percentile(t.observations("city311_resolution_seconds"), 0.9));
            expected.put("first-action-p90-seconds", percentile(t.observations("city311_first_action_seconds"), 0.9));
            expected.put("routing-p90-seconds", percentile(t.observations("city311_routing_seconds"), 0.9));
            expected.forEach((measure, value) -> assertThat(measures.path(measure).asDouble())
                    .as("%s of %s", measure, department)
                    .isCloseTo(value, org.assertj.core.data.Offset.offset(1e-9)));
            assertThat(card.path("now").path("open").asDouble()).as(department)
                    .isEqualTo(t.get("city311_requests_open"));
            assertThat(card.path("now").path("overdue").asDouble()).as(department)
                    .isEqualTo(t.get("city311_requests_overdue"));
            means.put(department, expected.get("satisfaction-mean"));
        }
        assertThat(means).hasSize(Scenario.DEPARTMENTS.size());

        // and the runaround per service is the hand tally's too
        JsonNode runaround = json("/api/runaround?from=" + from + "&to=" + to);
        assertThat(runaround.path("services")).hasSize(Scenario.SERVICES.size());
        for (JsonNode service : runaround.path("services")) {
            String code = "service_code=\"" + service.path("serviceCode").asString() + "\"";
            assertThat(service.path("routed").asDouble()).as(code).isEqualTo(sumOf(tally, "city311_service_routed_total", code));
            assertThat(service.path("transferred").asDouble()).as(code)
                    .isEqualTo(sumOf(tally, "city311_service_transferred_total", code));
            assertThat(service.path("transfers").asDouble()).as(code)
                    .isEqualTo(sumOf(tally, "city311_service_transfers_total", code));
            assertThat(service.path("transfers").asDouble()).as(code).isPositive();
        }
        // and so is misrouting at intake per filing team: the call centre's, and that of filings naming none
        assertThat(runaround.path("teams")).extracting(team -> team.path("team").asString())
                .containsExactly("call-centre", "none");
        for (JsonNode team : runaround.path("teams")) {
            String label = "team=\"" + team.path("team").asString() + "\"";
            assertThat(team.path("routed").asDouble()).as(label).isEqualTo(sumOf(tally, "city311_team_routed_total", label))
                    .isPositive();
            assertThat(team.path("misroutedAtIntake").asDouble()).as(label).isEqualTo(sumOf(tally,
                    "city311_requests_misrouted_total", label, "reason=\"wrong-service-chosen-at-intake\""));
        }

        // and the ranking puts the most satisfied customers' department first
        List<String> ranked = new ArrayList<>();
        scorecard.path("ranking").forEach(rank -> ranked.add(rank.path("department").asString()));
        List<String> byMean = new ArrayList<>(means.keySet());
        byMean.sort((a, b) -> Double.compare(means.get(b), means.get(a)));
        assertThat(ranked.get(0)).isEqualTo(byMean.get(0));
        assertThat(scorecard.path("ranking").get(0).path("rank").asInt()).isEqualTo(1);
    }

    @Test
    void shouldRefuseAWindowThatIsNotOneWithAProblem() {
        WebTestClient web = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .defaultHeader(HttpHeaders.AUTHORIZATION, TestTokens.only(Role.OPS)).build();
        web.get().uri("/api/scorecards?from=2026-12-01&to=2026-11-01").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType("application/problem+json")
                .expectBody().jsonPath("$.detail").value(detail -> assertThat(detail.toString()).contains("before"));
        web.get().uri("/api/scorecards?from=last-tuesday").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType("application/problem+json");
        web.get().uri("/api/scorecards/no-such-department").exchange().expectStatus().isNotFound();
    }

    @Test
    void shouldShowScorecardsAndGoalsOnlyToPeopleWithARole() {
        WebTestClient anyone = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
        for (String path : List.of("/api/scorecards", "/api/scorecards/transportation", "/api/goals")) {
            anyone.get().uri(path).exchange().expectStatus().isUnauthorized();
            // a valid token that gives no role people sign in with, or only a machine's, is refused
            for (String token : List.of(TestTokens.bearer("visitor", null), TestTokens.only(Role.SURVEY_SENDER))) {
                anyone.get().uri(path).header(HttpHeaders.AUTHORIZATION, token).exchange()
                        .expectStatus().isForbidden()
                        .expectHeader().contentType("application/problem+json");
            }
            anyone.get().uri(path).header(HttpHeaders.AUTHORIZATION, TestTokens.only(Role.AUDITOR)).exchange()
                    .expectStatus().isOk();
        }
    }

    @Test
    void shouldListTheCitysGoalsWithTheirGuards() {
        // given the month folded (the lead instance owns partition 0 once its fold has caught up)
        monthFolded();
        JsonNode goals = json("/api/goals");
        List<String> ids = new ArrayList<>();
        goals.forEach(goal -> ids.add(goal.path("id").asString()));
        assertThat(ids).containsExactly("potholes-faster", "fewer-complaints-sanitation", "follow-up-every-complaint");
        assertThat(goals.get(0).path("guard").path("measure").asString()).isEqualTo("reopen-rate");
        assertThat(goals.get(2).path("guard").isNull()).isTrue();
        // and the lead instance (it owns partition 0) exposes their guards to Prometheus, untripped
        assertThat(scrape(port)).containsEntry(
                "city311_goal_guard_tripped{department=\"transportation\",goal=\"potholes-faster\"}", 0.0);
    }

    /** Nearest rank, as a clerk reads it off the sorted list. */
    private static double percentile(List<Double> values, double quantile) {
        List<Double> sorted = new ArrayList<>(values);
        java.util.Collections.sort(sorted);
        return sorted.get((int) Math.ceil(quantile * sorted.size()) - 1);
    }

    private static double sumOf(Map<String, Double> tally, String name, String... fragments) {
        return tally.entrySet().stream().filter(e -> e.getKey().startsWith(name + "{")
                && java.util.Arrays.stream(fragments).allMatch(fragment -> e.getKey().contains(fragment)))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** The hand tally's figures for one department. */
    private record Tally(Map<String, Double> tally, String department) {

        double get(String name, String... labelPairs) {
            Map<String, String> labels = new TreeMap<>(Map.of("department", department));
            for (int i = 0; i < labelPairs.length; i += 2) {
                labels.put(labelPairs[i], labelPairs[i + 1]);
            }
            return tally.getOrDefault(Scenario.series(name, labels), 0.0);
        }

        /** Every series of the department (and containing {@code fragment}, if given). */
        double sum(String name, String fragment) {
            return tally.entrySet().stream().filter(e -> e.getKey().startsWith(name + "{")
                    && e.getKey().contains("department=\"" + department + "\"") && e.getKey().contains(fragment))
                    .mapToDouble(Map.Entry::getValue).sum();
        }

        double sumFrom(String name, String label) {
            return tally.entrySet().stream().filter(e -> e.getKey().startsWith(name + "{")
                    && e.getKey().contains(label + "=\"" + department + "\"")).mapToDouble(Map.Entry::getValue).sum();
        }

        List<Double> observations(String histogram) {
            List<Double> values = new ArrayList<>();
            SCENARIO.observed.forEach((series, observed) -> {
                if (series.startsWith(histogram + "{") && series.contains("department=\"" + department + "\"")) {
                    values.addAll(observed);
                }
            });
            return values;
        }
    }

    private JsonNode json(String path) {
        String body = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .defaultHeader(HttpHeaders.AUTHORIZATION, TestTokens.only(Role.OPS))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024)).build()
                .get().uri(path).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        return JsonMapper.builder().build().readTree(body);
    }

    private void assertFigures(Map<String, Double> scraped) {
        assertThat(scraped.get("city311_fold_events_waiting{partition=\"0\"}")).as("nothing left waiting")
                .isEqualTo(0.0);
        assertFiguresEqual(sumWithoutPartition(scraped));
    }

    private static void assertFiguresEqual(Map<String, Double> actual) {
        Map<String, Double> expected = SCENARIO.expected;
        Map<String, Double> mismatches = new TreeMap<>();
        expected.forEach((series, value) -> {
            double got = actual.getOrDefault(series, 0.0);
            if (Math.abs(got - value) > 1e-6 * Math.max(1, Math.abs(value))) {
                mismatches.put(series + " expected " + value, got);
            }
        });
        // and nothing counted that the tally does not have
        Set<String> names = new HashSet<>();
        expected.keySet().forEach(series -> names.add(series.substring(0, series.indexOf('{'))));
        actual.forEach((series, value) -> {
            String name = series.substring(0, series.indexOf('{'));
            if (names.contains(name) && !name.endsWith("_bucket") && !expected.containsKey(series) && value != 0) {
                mismatches.put(series + " expected nothing", value);
            }
        });
        // the first dozen say enough
        Map<String, Double> shown = new TreeMap<>();
        mismatches.entrySet().stream().limit(12).forEach(entry -> shown.put(entry.getKey(), entry.getValue()));
        assertThat(shown).as("series that differ from the hand tally (%d series compared, %d differ)", expected.size(),
                mismatches.size()).isEmpty();
    }

    private ConfigurableApplicationContext start(String database, String group, boolean rebuild) {
        // the services' time of the tests, as the first instance has it: the scenario is set around it
        return new SpringApplicationBuilder(MetricsServiceApplication.class)
                .initializers(context -> context.getBeanFactory().registerSingleton("clock", new TestClock()))
                .run(
                "--server.port=0",
                "--logging.level.root=WARN",
                "--spring.mongodb.uri=" + MongoWireTestServer.uri(),
                "--spring.mongodb.database=" + database,
                "--spring.cloud.stream.kafka.binder.brokers=" + brokers,
                "--spring.cloud.stream.bindings.serviceEvents-in-0.group=" + group,
                "--city311.metrics.rebuild=" + rebuild,
                "--city311.security.jwt.public-key-location=" + TestTokens.publicKeyLocation());
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    /** Every city311 sample, keyed by name and labels as Prometheus shows them. */
    static Map<String, Double> scrape(int port) {
        String body = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .defaultHeader(HttpHeaders.AUTHORIZATION, TestTokens.only(Role.OPS))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024)).build()
                .get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        return parse(body);
    }

    /** Every city311 sample of a Prometheus text page, keyed by name and labels. */
    static Map<String, Double> parse(String body) {
        Map<String, Double> samples = new TreeMap<>();
        for (String line : body.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (sample.matches()) {
                Map<String, String> labels = new TreeMap<>();
                if (sample.group(2) != null) {
                    Matcher label = LABEL.matcher(sample.group(2));
                    while (label.find()) {
                        labels.put(label.group(1), label.group(2));
                    }
                }
                samples.put(Scenario.series(sample.group(1), labels), Double.parseDouble(sample.group(3)));
            }
        }
        return samples;
    }

    /** What {@code sum without(partition)} gives in PromQL. */
    static Map<String, Double> sumWithoutPartition(Map<String, Double> samples) {
        Map<String, Double> summed = new TreeMap<>();
        samples.forEach((series, value) -> summed.merge(
                series.replaceAll(",?partition=\"\\d+\"", "").replace("{,", "{"), value, Double::sum));
        return summed;
    }

    private static Set<String> partitions(Map<String, Double> samples) {
        Set<String> partitions = new HashSet<>();
        samples.keySet().forEach(series -> {
            Matcher partition = Pattern.compile("partition=\"(\\d+)\"").matcher(series);
            if (partition.find()) {
                partitions.add(partition.group(1));
            }
        });
        return partitions;
    }
}
