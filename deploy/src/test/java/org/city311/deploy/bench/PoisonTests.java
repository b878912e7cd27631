package org.city311.deploy.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PoisonTests {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final ObjectMapper YAML = YAMLMapper.builder().build();
    private static final List<String> SERVICES = List.of("request-service", "routing-service", "feedback-service",
            "metrics-service");

    @Test
    void shouldExpectPoisonSetAsideByEveryServiceThatReadsATopicAsTheirApplicationYmlBindsThem() throws IOException {
        // the fault script once expected the catalog's poison from request-service alone, and failed a run in which
        // feedback-service's calendars set it aside too, as they should
        assertThat(Poison.CONSUMERS).as("the fault script's readers of each topic").isEqualTo(readersBound());
    }

    @Test
    void shouldJudgeTheServicesPerInstanceCatalogGroupsAndOnlyListOtherGroups() {
        assertThat(Poison.isServiceReader("city311.catalog", "request-service-catalog-8dcd9053")).isTrue();
        assertThat(Poison.isServiceReader("city311.catalog", "feedback-service-calendars-5a54b65e")).isTrue();
        assertThat(Poison.isServiceReader("city311.requests", "routing-service")).isTrue();
        assertThat(Poison.isServiceReader("city311.requests", "bench-storm-mxdxbqtc")).isFalse();
        assertThat(Poison.isServiceReader("city311.requests", "request-service")).isFalse();
    }

    /** Each topic and the services whose bindings read it with a dead-letter topic, from their application.yml. */
    private static Map<String, Set<String>> readersBound() throws IOException {
        Map<String, Set<String>> readers = new TreeMap<>();
        for (String service : SERVICES) {
            JsonNode config = YAML.readTree(ROOT.resolve(service + "/src/main/resources/application.yml").toFile());
            config.at("/spring/cloud/stream/bindings").fields().forEachRemaining(named -> {
                JsonNode dlq = config.at("/spring/cloud/stream/kafka/bindings/" + named.getKey()
                        + "/consumer/enable-dlq");
                if (named.getValue().hasNonNull("group") && dlq.asBoolean(false)) {
                    for (String topic : named.getValue().path("destination").asText().split(",")) {
                        readers.computeIfAbsent(topic.strip(), t -> new TreeSet<>()).add(service);
                    }
                }
            });
        }
        assertThat(readers).as("bindings found in the services' application.yml").containsKey("city311.catalog");
        return readers;
    }
}
