package org.city311.feedback.access;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import org.city311.contracts.EventContract;
import org.city311.platform.test.InputMutator;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.ServiceIntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Seeded malformed feedback that staff send and answers that residents send: never a 5xx, and feedback is stored
 * once per answer accepted, never for one refused.
 */
@ServiceIntegrationTest
@TestPropertySource(properties = { "city311.test.context=feedback-fuzz",
        "city311.surveys.rate-limit.per-address=100000", "city311.surveys.rate-limit.per-token=100000" })
class FeedbackInputFuzzTests {

    static final long SEED = Long.getLong("city311.fuzz.seed", 20261123L);

    @Autowired
    WebTestClient web;

    @Autowired
    ReactiveMongoTemplate mongo;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Test
    void shouldNeverAnswer5xxAndStoreFeedbackOnlyForWhatItAccepted() {
        String id = "311-" + (10_000_000 + (int) (Math.random() * 89_999_999));
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        kafka.send("city311.routing", id, KafkaTestClient.example(EventContract.example("city311.request.routed.v1"), id));
        kafka.send("city311.routing", id, KafkaTestClient.example(EventContract.example("city311.request.resolved.v1"), id));
        String valid = "{\"requestId\": \"" + id + "\", \"source\": \"phone\", \"satisfaction\": 4, \"resolved\": true, "
                + "\"ease\": 2, \"comment\": \"Fixed fast\"}";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> web.post().uri("/api/feedback")
                .contentType(MediaType.APPLICATION_JSON).bodyValue(valid).exchange().expectStatus().isCreated());
        long before = count();

        Random random = new Random(SEED);
        InputMutator mutator = new InputMutator(random);
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> serverErrors = new ArrayList<>();
        int accepted = 0;
        for (int round = 0; round < 800; round++) {
            byte[] body = mutator.mutateJson(valid);
            int status = web.post().uri("/api/feedback").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                    .exchange().returnResult(byte[].class).getStatus().value();
            statuses.merge(status, 1, Integer::sum);
            if (status >= 500) {
                serverErrors.add(status + " <- " + new String(body, StandardCharsets.UTF_8));
            }
            if (status == 201) {
                accepted++;
            }
        }
        for (int round = 0; round < 200; round++) {
            byte[] form = mutator.mutateForm("satisfaction=2&resolved=no&ease=3&comment=Still+dark");
            int status = web.post().uri("/surveys/{token}", "tok" + random.nextInt(1000)).accept(MediaType.TEXT_HTML)
                    .contentType(MediaType.APPLICATION_FORM_URLENCODED).bodyValue(form).exchange()
                    .returnResult(byte[].class).getStatus().value();
            statuses.merge(status, 1, Integer::sum);
            if (status >= 500) {
                serverErrors.add(status + " survey <- " + new String(form, StandardCharsets.UTF_8));
            }
        }
        System.out.printf("feedback fuzz seed %d, statuses %s%n", SEED, statuses);

        assertThat(serverErrors).as("5xx answers (seed %d)", SEED).isEmpty();
        // the broken input reached the service's parsing and validation, not a gate in front of it
        assertThat(statuses.keySet()).as("statuses (seed %d)", SEED).containsAnyOf(400, 422);
        assertThat(count()).isEqualTo(before + accepted);
    }

    private long count() {
        return mongo.count(new Query(), "feedback").block();
    }
}
