package org.city311.deploy.monitoring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The shipped Prometheus configuration, recording rules and alerts, checked and unit-tested by Prometheus's own
 * {@code promtool}. CI installs it (Debian's {@code prometheus} package) and sets {@code CITY311_REQUIRE_PROMTOOL};
 * on a machine without it these tests are skipped with a notice rather than failing the build.
 */
class PrometheusRulesTests {

    static final Path PROMETHEUS = Path.of("prometheus");

    @BeforeAll
    static void promtoolIsThere() {
        boolean present = Stream.of(System.getenv("PATH").split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "promtool")));
        if (!present && Boolean.parseBoolean(System.getenv("CITY311_REQUIRE_PROMTOOL"))) {
            throw new AssertionError("promtool is required (CITY311_REQUIRE_PROMTOOL) but not on the PATH: "
                    + "apt-get install prometheus");
        }
        assumeTrue(present, "promtool not on the PATH: Prometheus rules not tested here (apt-get install prometheus)");
    }

    @Test
    void shouldShipAValidPrometheusConfigurationWithItsRules() throws Exception {
        assertThat(promtool("check", "config", "prometheus.yml")).contains("SUCCESS").doesNotContain("FAILED");
    }

    @Test
    void shouldPassEveryRulesUnitTest() throws Exception {
        List<String> command = new ArrayList<>(List.of("test", "rules"));
        try (Stream<Path> tests = Files.list(PROMETHEUS.resolve("tests"))) {
            tests.filter(path -> path.toString().endsWith(".test.yml")).sorted()
                    .forEach(path -> command.add(PROMETHEUS.relativize(path).toString()));
        }
        assertThat(command).hasSizeGreaterThan(3);
        String output = promtool(command.toArray(String[]::new));
        assertThat(output).doesNotContain("FAILED").contains("SUCCESS");
    }

    /** Runs promtool in the prometheus folder; fails with its output if it exits non-zero. */
    static String promtool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(PROMETHEUS.toFile()).redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("promtool finished").isTrue();
        assertThat(process.exitValue()).as("promtool %s:%n%s", String.join(" ", arguments), output).isZero();
        return output;
    }
}
