package org.city311.request.fuzz;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.city311.contracts.EventContract;
import org.city311.platform.test.InputMutator;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.request.CatalogFixture;
import org.city311.request.catalog.ServiceCatalogCopy;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Thousands of malformed bodies, forms and events, made by mutating valid ones with a fixed seed (printed, so a
 * failure can be replayed): request-service never answers 5xx, stores nothing for what it refuses, leaves the
 * requests it holds unchanged, and still handles a valid event afterwards.
 */
@ServiceIntegrationTest
@EmbeddedKafka(partitions = 3, topics = { "city311.requests", "city311.routing", "city311.catalog", "city311.feedback" })
@TestPropertySource(properties = { "city311.open311.dev-api-key=" + MalformedInputFuzzTests.KEY,
        "city311.open311.rate-limit.per-address=100000", "city311.intake.max-in-flight=1000" })
class MalformedInputFuzzTests {

    static final String KEY = "fuzz-key-0123456789abcdefghij";
    static final long SEED = Long.getLong("city311.fuzz.seed", 20261123L);
    static final int ROUNDS = Integer.getInteger("city311.fuzz.rounds", 1500);

    static final String VALID_JSON = """
            {"serviceCode": "pothole", "channel": "phone", "description": "Deep pothole",
             "location": {"address": "12 Canal St", "latitude": 40.7191, "longitude": -74.0013},
             "attributes": {"size": "large"},
             "resident": {"firstName": "Ana", "lastName": "Lima", "phone": "212-555-0101", "email": "ana@example.net",
                          "consentToContact": true},
             "mediaUrls": ["https://photos.example/1.jpg"]}""";
    static final String VALID_FORM = "api_key=" + KEY + "&service_code=pothole&lat=40.7191&long=-74.0013"
            + "&address_string=12+Canal+St&description=Deep+pothole&attribute[size]=large"
            + "&email=ana%40example.net&first_name=Ana&media_url=https%3A%2F%2Fp.example%2F1.jpg";

    @Autowired
    WebTestClient web;

    @Autowired
    ServiceCatalogCopy catalog;

    @Autowired
    ReactiveMongoTemplate mongo;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @BeforeEach
    void catalogPublished() {
        CatalogFixture.published(catalog, brokers);
    }

    @Test
    void shouldNeverAnswer5xxNorStoreWhatItRefuses() {
        String existing = created(web.post().uri("/api/requests").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(VALID_JSON).exchange().expectStatus().isCreated().expectBody(String.class).returnResult()
                .getResponseBody());
        Document before = stored(existing);
        long requestsBefore = count();

        Random random = new Random(SEED);
        InputMutator mutator = new InputMutator(random);
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> serverErrors = new ArrayList<>();
        int accepted = 0;
        for (int round = 0; round < ROUNDS; round++) {
            boolean json = random.nextBoolean();
            byte[] body = json ? mutator.mutateJson(VALID_JSON) : mutator.mutateForm(VALID_FORM);
            String path = json ? "/api/requests" : (random.nextBoolean() ? "/open311/v2/requests.json"
                    : "/open311/v2/requests.xml");
            MediaType type = json ? MediaType.APPLICATION_JSON : MediaType.APPLICATION_FORM_URLENCODED;
            var result = web.post().uri(path).contentType(type).bodyValue(body).exchange()
                    .expectBody(byte[].class).returnResult();
            int status = result.getStatus().value();
            statuses.merge(status, 1, Integer::sum);
            if (status >= 500) {
                serverErrors.add(status + " " + path + " <- " + new String(body, StandardCharsets.UTF_8));
            }
            if (status == 201 || (status == 200 && !json)) {
                accepted++;
            }
        }
        System.out.printf("fuzz seed %d, %d rounds, statuses %s%n", SEED, ROUNDS, statuses);

        assertThat(serverErrors).as("5xx answers (seed %d)", SEED).isEmpty();
        // the broken input reached the service's parsing and validation, not a gate in front of it
        assertThat(statuses.keySet()).as("statuses (seed %d)", SEED).containsAnyOf(400, 422);
        // what was refused left nothing behind; a mutation that stayed valid was filed like any request
        assertThat(count()).isEqualTo(requestsBefore + accepted);
        assertThat(stored(existing)).isEqualTo(before);
    }

    @Test
    void shouldSetMalformedEventsAsideAndGoOnWithTheNextOne() {
        String id = created(web.post().uri("/api/requests").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(VALID_JSON).exchange().expectStatus().isCreated().expectBody(String.class).returnResult()
                .getResponseBody());
        Document before = stored(id);
        var catalogBefore = catalog.current();
        Random random = new Random(SEED + 1);
        InputMutator mutator = new InputMutator(random);
        String routed = KafkaTestClient.example(EventContract.example("city311.request.routed.v1"), id);
        List<KafkaTestClient.Outgoing> poison = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String topic = List.of("city311.routing", "city311.feedback", "city311.catalog").get(i % 3);
            poison.add(new KafkaTestClient.Outgoing(topic, id,
                    new String(mutator.mutateJson(routed), StandardCharsets.UTF_8)));
        }
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        kafka.sendAll(poison);
        kafka.send("city311.routing", id, routed);

        // the valid event behind them is applied: the partition did not stall
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> web.get().uri("/api/requests/{id}", id).exchange()
                .expectBody().jsonPath("$.status").isEqualTo("routed"));
        Document after = stored(id);
        assertThat(after.get("resident")).isEqualTo(before.get("resident"));
        assertThat(after.get("serviceCode")).isEqualTo(before.get("serviceCode"));
        assertThat(catalog.current()).as("the catalog in force, untouched by the poison").isEqualTo(catalogBefore);
    }

    private long count() {
        return mongo.count(new Query(), "requests").block();
    }

    private Document stored(String id) {
        Document document = mongo.findById(id, Document.class, "requests").block();
        assertThat(document).isNotNull();
        document.remove("outbox");
        return document;
    }

    private static String created(String body) {
        return body.replaceAll("(?s).*?\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    }
}
