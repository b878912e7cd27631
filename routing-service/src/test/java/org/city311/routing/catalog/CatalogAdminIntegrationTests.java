package org.city311.routing.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.mongodb.reactivestreams.client.MongoClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.city311.contracts.EventContract;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.platform.test.TestClock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.city311.routing.catalog.SampleCatalogs.lineOf;

/**
 * The catalog's administrators editing it through {@code /api/catalog}, against the real broker and store. The
 * tests share one catalog in force, so each starts from whatever catalog is in force.
 */
@ServiceIntegrationTest
@EmbeddedKafka(partitions = 1, topics = { "city311.requests", "city311.routing", "city311.catalog" })
class CatalogAdminIntegrationTests {

    private static final MediaType YAML = MediaType.parseMediaType("application/yaml");

    @Autowired
    WebTestClient web;

    @Autowired
    ServiceCatalog catalog;

    @Autowired
    CatalogStore store;

    @Autowired
    CatalogProperties properties;

    @Autowired
    ReactiveMongoTemplate mongo;

    @Autowired
    MongoClient mongoClient;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Test
    void shouldGiveTheCatalogInForceAsYamlWithItsVersionAndHash() {
        ServiceCatalog.InForce inForce = catalog.inForce();

        String body = web.get().uri("/api/catalog").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(YAML)
                .expectHeader().valueEquals("X-Catalog-Version", inForce.catalog().catalogVersion())
                .expectHeader().valueEquals("ETag", "\"" + inForce.hash() + "\"")
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(body).isEqualTo(inForce.source()).contains("catalogVersion: \"" + inForce.catalog().catalogVersion());
        assertThat(inForce.hash()).isEqualTo(CatalogPublication.hash(catalog.current())).hasSize(64);
    }

    @Test
    void shouldPutAValidCatalogInForceStoreItAndPublishItOnce() {
        // given the sample city with a new version, in which Parks takes over dead animals
        String edited = sampleCity().replace("catalogVersion: \"2026.11.3\"", "catalogVersion: \"2026.12.1-admin\"")
                .replaceFirst("(- code: dead-animal[\\s\\S]*?department: )sanitation", "$1parks");
        String before = etag();

        // when an administrator puts it, saying which catalog they edited
        web.put().uri("/api/catalog").contentType(YAML).header("If-Match", before).bodyValue(edited).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-Catalog-Version", "2026.12.1-admin")
                .expectBody()
                .jsonPath("$.catalogVersion").isEqualTo("2026.12.1-admin")
                .jsonPath("$.hash").isEqualTo(catalog.inForce().hash())
                .jsonPath("$.departments").isEqualTo(11)
                .jsonPath("$.services").isEqualTo(58)
                .jsonPath("$.rules").isEqualTo(catalog.current().rules().size());

        // then it is in force: read back as written, and dead animals are Parks'
        assertThat(etag()).isNotEqualTo(before).isEqualTo("\"" + catalog.inForce().hash() + "\"");
        web.get().uri("/api/catalog").exchange().expectBody(String.class).isEqualTo(edited);
        web.get().uri("/api/catalog/services").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$[?(@.code == 'dead-animal')].department").isEqualTo("parks");

        // and published once to the compacted topic, valid against the contract
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        ConsumerRecord<String, String> published = kafka.await("city311.catalog",
                record -> record.value().contains("\"catalogVersion\":\"2026.12.1-admin\""), Duration.ofSeconds(20));
        EventContract.assertValid(published.value());
        assertThat(published.key()).isEqualTo("catalog");
        assertThat(published.value()).contains("\"hash\":\"" + catalog.inForce().hash() + "\"")
                .doesNotContain("\"agents\"");

        // and putting the same text again changes nothing and publishes nothing
        web.put().uri("/api/catalog").contentType(MediaType.parseMediaType("text/yaml")).bodyValue(edited).exchange()
                .expectStatus().isOk();
        assertThat(kafka.readAll("city311.catalog", Duration.ofSeconds(2)))
                .filteredOn(record -> record.value().contains("\"catalogVersion\":\"2026.12.1-admin\"")).hasSize(1);

        // and it is stored, next to the publication, so that a restart starts from it
        Document source = mongo.findById("source", Document.class, "catalog").block();
        assertThat(source).isNotNull();
        assertThat(source.getString("yaml")).isEqualTo(edited);
        assertThat(source.getString("catalogVersion")).isEqualTo("2026.12.1-admin");
        assertThat(source.getString("hash")).isEqualTo(catalog.inForce().hash());
        assertThat(source.getDate("updatedAt")).isNotNull();
        Document publication = mongo.findById("catalog", Document.class, "catalog").block();
        assertThat(publication).isNotNull();
        assertThat(publication.getString("hash")).isEqualTo(catalog.inForce().hash());
        ServiceCatalog restarted = new ServiceCatalog(properties, store);
        assertThat(restarted.current().catalogVersion()).isEqualTo("2026.12.1-admin");
        assertThat(restarted.inForce().hash()).isEqualTo(catalog.inForce().hash());
        assertThat(restarted.current().service("dead-animal")).get().extracting(Catalog.Service::department)
                .isEqualTo("parks");
    }

    @Test
    void shouldRefuseAnInvalidCatalogNamingEveryProblemWithItsLineAndKeepTheCatalogInForce() {
        // given a catalog with a service of an unknown department and a service code used twice
        String before = etag();
        String current = web.get().uri("/api/catalog").exchange().expectBody(String.class).returnResult()
                .getResponseBody();
        String wrong = current.replaceFirst("catalogVersion: \"[^\"]+\"", "catalogVersion: \"invalid-1\"")
                .replaceFirst("(- code: missed-collection[\\s\\S]*?department: )sanitation", "$1sanitaton")
                .replace("- code: dirty-sidewalk", "- code: missed-collection");

        // when it is put, then every problem is named with its line
        web.put().uri("/api/catalog").contentType(YAML).bodyValue(wrong).exchange()
                .expectStatus().isEqualTo(422)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.title").isEqualTo("Invalid catalog");
        List<Map<String, String>> errors = errors(wrong);
        assertThat(errors).extracting(error -> error.get("field")).containsOnly("catalog");
        assertThat(errors).extracting(error -> error.get("message")).contains(
                "service 'missed-collection' (line " + lineOf(wrong, "department: sanitaton")
                        + "): unknown department 'sanitaton'",
                "service 'missed-collection' (line " + lineOf(current, "- code: dirty-sidewalk")
                        + ") is listed twice (first at line " + lineOf(wrong, "- code: missed-collection") + ")");

        // and the catalog in force is unchanged, and nothing was published
        assertThat(etag()).isEqualTo(before);
        assertThat(catalog.current().catalogVersion()).isNotEqualTo("invalid-1");
        assertThat(new KafkaTestClient(brokers).readAll("city311.catalog", Duration.ofSeconds(2)))
                .noneMatch(record -> record.value().contains("invalid-1"));
    }

    @Test
    void shouldRefuseOverlappingDistrictsNamingBothWithTheirLines() {
        String before = etag();
        String overlapping = sampleCity().replace("districts: sample-city-districts.geojson",
                "districts: test-overlapping-districts.geojson");

        List<Map<String, String>> errors = errors(overlapping);

        assertThat(errors).singleElement().extracting(error -> error.get("message")).asString()
                .isEqualTo("districts file 'test-overlapping-districts.geojson': districts 'manhattan' (feature 1"
                        + " (line 4)) and 'central-park' (feature 2 (line 6)) overlap; districts may share a border"
                        + " but not an area");
        assertThat(etag()).isEqualTo(before);
    }

    @Test
    void shouldRefuseAPutOnACatalogSomeoneChangedMeanwhile() {
        String before = etag();
        String stale = "\"" + "0".repeat(64) + "\"";

        web.put().uri("/api/catalog").contentType(YAML).header("If-Match", stale).bodyValue(sampleCity()).exchange()
                .expectStatus().isEqualTo(412)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat(detail.toString()).contains(before
                        .replace("\"", "")));

        assertThat(etag()).isEqualTo(before);
    }

    @Test
    void shouldRefuseACatalogOverOneMegabyteAndOneThatIsNotYaml() {
        String before = etag();
        String huge = sampleCity() + "# " + "x".repeat(CatalogAdminController.MAX_BYTES) + "\n";

        // with its length announced, and streamed without one
        web.put().uri("/api/catalog").contentType(YAML).bodyValue(huge).exchange()
                .expectStatus().isEqualTo(413)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        web.put().uri("/api/catalog").contentType(YAML)
                .body(Flux.fromIterable(List.of(huge.substring(0, 500_000), huge.substring(500_000))), String.class)
                .exchange()
                .expectStatus().isEqualTo(413);
        web.put().uri("/api/catalog").contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
                .expectStatus().isEqualTo(415);

        assertThat(etag()).isEqualTo(before);
    }

    @Test
    void shouldStartFromTheStoredCatalogAndRefuseToStartFromOneThatNoLongerLoads() {
        // given a store of its own holding a catalog put through the admin API
        CatalogStore own = new CatalogStore(new ReactiveMongoTemplate(mongoClient,
                "restart_" + Long.toHexString(System.nanoTime())));
        assertThat(new ServiceCatalog(properties, own).current().catalogVersion()).as("from the file")
                .isEqualTo("2026.11.3");
        String stored = sampleCity().replace("catalogVersion: \"2026.11.3\"", "catalogVersion: \"stored-1\"");
        assertThat(own.save(stored, "stored-1", "h", TestClock.START, 0L)).hasValue(1);

        // when the service starts, then that catalog is in force, not the file
        ServiceCatalog restarted = new ServiceCatalog(properties, own);
        assertThat(restarted.current().catalogVersion()).isEqualTo("stored-1");
        assertThat(restarted.inForce().source()).isEqualTo(stored);
        assertThat(restarted.inForce().revision()).isEqualTo(1);

        // and a stored catalog that no longer loads (its districts file is gone) stops the start, saying why
        assertThat(own.save(stored.replace("sample-city-districts.geojson", "gone.geojson"), "stored-2", "h",
                TestClock.START, 1L)).hasValue(2);
        assertThatThrownBy(() -> new ServiceCatalog(properties, own))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("districts file 'gone.geojson': not found")
                .hasMessageContaining("delete that document");
        // and a save over a revision that is not the stored one changes nothing
        assertThat(own.save(stored, "stored-3", "h", TestClock.START, 1L)).isEmpty();
    }

    private String etag() {
        return web.get().uri("/api/catalog").exchange().expectStatus().isOk().returnResult(String.class)
                .getResponseHeaders().getETag();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, String>> errors(String yaml) {
        Map<String, Object> problem = web.put().uri("/api/catalog").contentType(YAML).bodyValue(yaml).exchange()
                .expectStatus().isEqualTo(422)
                .expectBody(Map.class).returnResult().getResponseBody();
        return (List<Map<String, String>>) problem.get("errors");
    }

    private static String sampleCity() {
        try (InputStream in = CatalogAdminIntegrationTests.class.getResourceAsStream("/catalog/sample-city.yml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
