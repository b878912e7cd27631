package org.city311.metrics.servicelevel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dashboards and alerts are written from the README's table: every exposed metric must be in it, named from its one
 * definition (the goal gauges are checked beside {@code Goals}, whose names are its own).
 */
class MetricsDocumentedTests {

    @Test
    void shouldDocumentEveryExposedMetricInTheReadme() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        List<String> names = new ArrayList<>();
        for (Metric metric : Metric.values()) {
            names.add(metric.histogram() ? metric.prometheusName() : metric.prometheusName() + "_total");
        }
        names.addAll(List.of(ServiceLevels.REQUESTS_OPEN, ServiceLevels.REQUESTS_OVERDUE, ServiceLevels.FOLLOWUPS_OPEN,
                ServiceLevels.FOLLOWUPS_OVERDUE, ServiceLevels.EVENTS_WAITING));

        assertThat(names).hasSizeGreaterThan(23).allSatisfy(name -> assertThat(readme)
                .as("the README's metric table lists %s", name).contains("`" + name + "`"));
    }
}
