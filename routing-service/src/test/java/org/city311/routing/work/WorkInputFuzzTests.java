package org.city311.routing.work;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import org.city311.platform.security.Role;
import org.city311.platform.test.InputMutator;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.platform.test.TestTokens;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded malformed bodies for every department action and for the catalog: never a 5xx, and a request's version
 * moves exactly once per action that was accepted, so nothing refused changed it; the catalog is the last one
 * accepted.
 */
@ServiceIntegrationTest
@TestPropertySource(properties = "city311.test.context=work-fuzz")
class WorkInputFuzzTests {

    static final long SEED = Long.getLong("city311.fuzz.seed", 20261123L);
    static final Map<String, String> VALID = Map.of(
            "accept", "{\"agent\": \"agent.transportation\"}",
            "update", "{\"note\": \"Crew scheduled for Thursday\", \"visibility\": \"public\"}",
            "hold", "{\"reason\": \"Waiting for the gas company\"}",
            "resume", "{}",
            "transfer", "{\"toDepartment\": \"environmental-protection\", \"reason\": \"Sewer, not a pothole\"}",
            "resolve", "{\"resolutionCode\": \"repaired\", \"note\": \"Filled\"}",
            "reopen", "{\"reason\": \"Came back\"}");

    @Autowired
    WebTestClient web;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Test
    void shouldNeverAnswer5xxAndChangeAWorkItemOnlyByActionsItAccepted() {
        String id = RoutedRequests.routed(brokers, "pothole");
        long versionBefore = version(id);
        Random random = new Random(SEED);
        InputMutator mutator = new InputMutator(random);
        List<String> actions = List.copyOf(new java.util.TreeSet<>(VALID.keySet()));
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> serverErrors = new ArrayList<>();
        int applied = 0;
        for (int round = 0; round < 1000; round++) {
            String action = actions.get(random.nextInt(actions.size()));
            byte[] body = mutator.mutateJson(VALID.get(action));
            int status = web.post().uri(RoutedRequests.WORK + "/{id}/{action}", id, action)
                    // an admin may act wherever a transfer takes the request
                    .header(HttpHeaders.AUTHORIZATION, TestTokens.only(Role.ADMIN))
                    .header("If-Match", random.nextInt(10) == 0 ? "\"" + random.nextInt() + "\"" : "*")
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                    .returnResult(byte[].class).getStatus().value();
            statuses.merge(status, 1, Integer::sum);
            if (status >= 500) {
                serverErrors.add(status + " " + action + " <- " + new String(body, StandardCharsets.UTF_8));
            }
            if (status == 200) {
                applied++;
            }
        }
        System.out.printf("work fuzz seed %d, statuses %s%n", SEED, statuses);

        assertThat(serverErrors).as("5xx answers (seed %d)", SEED).isEmpty();
        // the broken input reached the service's parsing and validation, not a gate in front of it
        assertThat(statuses.keySet()).as("statuses (seed %d)", SEED).containsAnyOf(400, 422);
        assertThat(version(id)).isEqualTo(versionBefore + applied);
    }

    @Test
    void shouldRefuseMalformedCatalogsWithoutAServerErrorAndKeepTheCatalog() {
        String admin = TestTokens.only(Role.ADMIN);
        String catalog = web.get().uri("/api/catalog").header(HttpHeaders.AUTHORIZATION, admin)
                .header(HttpHeaders.ACCEPT, "application/yaml").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        Random random = new Random(SEED + 7);
        List<String> serverErrors = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        String current = catalog;
        for (int round = 0; round < 60; round++) {
            String broken = switch (round % 4) {
                case 0 -> catalog.substring(0, random.nextInt(catalog.length()));
                case 1 -> catalog.replace("department: transportation", "department: " + "x".repeat(random.nextInt(80)));
                case 2 -> "!!java.lang.Runtime {}\n" + catalog;
                default -> "a: &a [*a, *a, *a, *a, *a, *a, *a, *a]\nb: [*a, *a, *a, *a, *a, *a]\n";
            };
            int status = web.put().uri("/api/catalog").header(HttpHeaders.AUTHORIZATION, admin)
                    .contentType(MediaType.parseMediaType("application/yaml")).bodyValue(broken).exchange()
                    .returnResult(byte[].class).getStatus().value();
            statuses.merge(status, 1, Integer::sum);
            if (status >= 500) {
                serverErrors.add(status + " <- " + broken.substring(0, Math.min(120, broken.length())));
            }
            if (status == 200) {
                current = broken; // a cut that still leaves a whole, valid catalog is one
            }
        }
        System.out.printf("catalog fuzz seed %d, statuses %s%n", SEED, statuses);
        assertThat(serverErrors).isEmpty();
        // the broken input reached the service's parsing and validation, not a gate in front of it
        assertThat(statuses.keySet()).as("statuses (seed %d)", SEED).containsAnyOf(400, 422);
        web.get().uri("/api/catalog").header(HttpHeaders.AUTHORIZATION, admin)
                .header(HttpHeaders.ACCEPT, "application/yaml").exchange().expectStatus().isOk()
                .expectBody(String.class).isEqualTo(current);
    }

    private long version(String id) {
        return ((Number) web.get().uri(RoutedRequests.WORK + "/{id}", id)
                .header(HttpHeaders.AUTHORIZATION, TestTokens.only(Role.ADMIN)).exchange()
                .expectBody(Map.class).returnResult().getResponseBody().get("version")).longValue();
    }
}
