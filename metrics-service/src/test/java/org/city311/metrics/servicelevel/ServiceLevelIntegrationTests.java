package org.city311.metrics.servicelevel;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.city311.metrics.MetricsServiceApplication;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.MongoWireTestServer;
import org.city311.platform.test.ServiceIntegrationTest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.context.EmbeddedKafka;
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
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceLevelIntegrationTests {

    private static final Pattern SAMPLE = Pattern.compile("^(city311_[a-z_]+)(?:\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-z_]+)=\"([^\"]*)\"");
    private static final Scenario SCENARIO = Scenario.of(300, Instant.now(), "311-9");

    @LocalServerPort
    int port;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Value("${spring.mongodb.database}")
    String database;

    @Test
    @Order(1)
    void shouldShowTheFiguresTalliedByHandWhateverTheOrderAndDuplicates() {
        // given a month of requests, every event delivered twice, shuffled across and within topics
        new KafkaTestClient(brokers).sendAll(SCENARIO.deliveries(311));

        // then every figure on /actuator/prometheus equals the hand tally
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertFigures(scrape(port)));
    }

    @Test
    @Order(2)
    void shouldGiveTheSameFiguresSummedAcrossTwoInstancesAndAfterOneLeaves() {
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
    @Order(3)
    void shouldGiveTheSameFiguresFromAReplayIntoAnEmptyStoreAndFromARebuild() {
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
        return new SpringApplicationBuilder(MetricsServiceApplication.class).run(
                "--server.port=0",
                "--logging.level.root=WARN",
                "--spring.mongodb.uri=" + MongoWireTestServer.uri(),
                "--spring.mongodb.database=" + database,
                "--spring.cloud.stream.kafka.binder.brokers=" + brokers,
                "--spring.cloud.stream.bindings.serviceEvents-in-0.group=" + group,
                "--city311.metrics.rebuild=" + rebuild);
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    /** Every city311 sample, keyed by name and labels as Prometheus shows them. */
    static Map<String, Double> scrape(int port) {
        String body = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(16 * 1024 * 1024)).build()
                .get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
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
