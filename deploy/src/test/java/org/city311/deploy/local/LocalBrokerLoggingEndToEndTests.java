package org.city311.deploy.local;

import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.yaml.YamlConfigurationFactory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local broker of run.sh runs on the packaged launcher libraries ({@code target/lib}) and logs through log4j2
 * with a YAML configuration, which log4j2 reads only with Jackson's YAML module among those libraries. Without it
 * the broker writes a stack trace for every logger it creates and is not ready within run.sh's 90 s (seen once,
 * when a test-scoped declaration kept the module out of {@code target/lib}).
 */
class LocalBrokerLoggingEndToEndTests {

    @Test
    void shouldReadTheBrokersLoggingConfigurationOnTheLauncherClasspath() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = "target/lib/*" + File.pathSeparator + "target/test-classes";
        Process process = new ProcessBuilder(List.of(java, "-cp", classpath,
                LocalBrokerLoggingEndToEndTests.class.getName(), "local/kafka-log4j2.yaml"))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("appenders:");
    }

    /** Run on the launcher's classpath: reads the configuration as log4j2 would at the broker's start. */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        try (InputStream in = Files.newInputStream(file)) {
            Configuration configuration = new YamlConfigurationFactory().getConfiguration(null,
                    new ConfigurationSource(in, file.toFile()));
            if (configuration == null) {
                System.out.println("log4j2 cannot read YAML here: jackson-dataformat-yaml is missing");
                System.exit(1);
            }
            configuration.initialize();
            System.out.println("appenders: " + configuration.getAppenders().keySet());
            System.exit(configuration.getAppenders().isEmpty() ? 1 : 0);
        }
    }
}
