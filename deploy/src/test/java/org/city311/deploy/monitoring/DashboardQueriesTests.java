package org.city311.deploy.monitoring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped dashboards and alerts query only what exists: metrics the README documents (the services' contract)
 * and recording rules the rules file defines. A renamed metric fails here, not on a city's wall screen.
 */
class DashboardQueriesTests {

    private static final Pattern METRIC = Pattern.compile("\\b(city311_[a-z0-9_]+)");
    private static final Pattern RECORDED = Pattern.compile("\\b([a-z_]+:city311_[a-z0-9_]+:[a-z0-9_]+)");
    private static final Pattern RECORD = Pattern.compile("record:\\s*(\\S+)");

    @Test
    void shouldQueryOnlyDocumentedMetricsAndDefinedRecordingRules() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        String rules = Files.readString(Path.of("prometheus", "rules", "service-levels.rules.yml"));
        Set<String> recorded = new TreeSet<>();
        RECORD.matcher(rules).results().forEach(match -> recorded.add(match.group(1)));

        Set<String> queried = new TreeSet<>();
        Set<String> queriedRules = new TreeSet<>();
        try (Stream<Path> files = Stream.concat(Files.list(Path.of("grafana", "dashboards")),
                Files.list(Path.of("prometheus", "rules")))) {
            for (Path file : files.toList()) {
                String text = Files.readString(file);
                Matcher rule = RECORDED.matcher(text);
                while (rule.find()) {
                    queriedRules.add(rule.group(1));
                }
                Matcher metric = METRIC.matcher(text.replaceAll("[a-z_]+:city311_[a-z0-9_]+:[a-z0-9_]+", ""));
                while (metric.find()) {
                    queried.add(metric.group(1).replaceAll("_(bucket|sum|count)$", ""));
                }
            }
        }

        assertThat(queried).as("metrics the dashboards and rules query").hasSizeGreaterThan(15)
                .allSatisfy(name -> assertThat(readme).as("README documents %s", name).contains("`" + name));
        assertThat(recorded).as("recording rules used by the dashboards and alerts").containsAll(queriedRules);
        assertThat(queriedRules).isNotEmpty();
    }

    @Test
    void shouldShipBothDashboardsWithFixedUidsOnTheProvisionedDatasource() throws IOException {
        for (String uid : new String[] { "city311-operations", "city311-department" }) {
            String dashboard = Files.readString(Path.of("grafana", "dashboards", uid + ".json"));
            assertThat(dashboard).contains("\"uid\": \"" + uid + "\"").contains("city311-prometheus");
        }
        assertThat(Files.readString(Path.of("grafana", "provisioning", "datasources", "prometheus.yml")))
                .contains("uid: city311-prometheus");
    }
}
