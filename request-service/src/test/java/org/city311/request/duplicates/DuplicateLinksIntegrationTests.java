package org.city311.request.duplicates;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.city311.contracts.EventContract;
import org.city311.platform.security.Role;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.platform.test.TestTokens;
import org.city311.request.CatalogFixture;
import org.city311.request.RequestStore;
import org.city311.request.catalog.ServiceCatalogCopy;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Linking a second report to the first, against the real broker and the Mongo-wire store. */
@ServiceIntegrationTest
class DuplicateLinksIntegrationTests {

    static final String LINKED = "city311.request.linked.v1";

    @Autowired
    WebTestClient web;

    @Autowired
    ServiceCatalogCopy catalog;

    @Autowired
    ReactiveMongoTemplate mongo;

    @Autowired
    RequestStore requests;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    KafkaTestClient kafka;

    @BeforeEach
    void catalogPublishedByRoutingService() {
        CatalogFixture.published(catalog, brokers);
        kafka = new KafkaTestClient(brokers);
    }

    @Test
    void shouldFollowTheParentsStatusKeepItsOwnDepartmentAndAnnounceTheLink() {
        // given a pothole routed to Transportation, and a second report of it that went to Sanitation
        String parent = file();
        String child = file();
        kafka.send("city311.routing", parent, event("city311.request.routed.v1", parent));
        kafka.send("city311.routing", child, event("city311.request.routed.v1", child)
                .replace("\"department\": \"transportation\"", "\"department\": \"sanitation\""));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(get(child).department())
                .isEqualTo("sanitation"));

        // when a supervisor of Sanitation links it to the first
        web.post().uri("/api/requests/{id}/duplicate-of/{parent}", child, parent)
                .header(HttpHeaders.AUTHORIZATION, TestTokens.supervisor("sanitation")).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.duplicateOf").isEqualTo(parent)
                .jsonPath("$.status").isEqualTo("routed")
                .jsonPath("$.department").isEqualTo("sanitation");

        // then the link is on the requests topic, keeping its contract, saying who linked it
        ConsumerRecord<String, String> linked = kafka.await("city311.requests",
                record -> child.equals(record.key()) && record.value().contains(LINKED), Duration.ofSeconds(20));
        EventContract.assertValid(linked.value());
        assertThat(linked.value()).contains("\"parentRequestId\":\"" + parent + "\"")
                .contains("\"actedby\":\"supervisor.sanitation\"");
        assertThat(get(child).history()).extracting(Entry::kind).contains("linked");
        // and the first's page can list its other reports: a search by duplicateOf finds the second, and only it
        web.get().uri("/api/requests?duplicateOf={parent}", parent)
                .header(HttpHeaders.AUTHORIZATION, TestTokens.only(Role.STAFF)).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo(1).jsonPath("$.items[0].id").isEqualTo(child);
        web.get().uri("/api/requests?duplicateOf={parent}", "not a number")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.only(Role.STAFF)).exchange().expectStatus()
                .isBadRequest();

        // and when Transportation takes the first on and puts it on hold, the second shows that, still Sanitation's
        kafka.send("city311.routing", parent, event("city311.request.accepted.v1", parent));
        kafka.send("city311.routing", parent, event("city311.request.put-on-hold.v1", parent));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(get(child).status())
                .isEqualTo("on_hold"));
        assertThat(get(child).department()).isEqualTo("sanitation");
        // so Sanitation's agents still read it, and Transportation's, who work the first, do not
        web.get().uri("/api/requests/{id}", child).header(HttpHeaders.AUTHORIZATION, TestTokens.agent("sanitation"))
                .exchange().expectStatus().isOk();
        web.get().uri("/api/requests/{id}", child)
                .header(HttpHeaders.AUTHORIZATION, TestTokens.agent("transportation"))
                .exchange().expectStatus().isForbidden();
    }

    @Test
    void shouldLinkOnlyToAnOpenRequestThatIsNotItselfADuplicate() {
        // given a request the department resolved, and one that is itself linked to a third
        String resolved = file();
        kafka.send("city311.routing", resolved, event("city311.request.routed.v1", resolved));
        kafka.send("city311.routing", resolved, event("city311.request.resolved.v1", resolved));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(get(resolved).status())
                .isEqualTo("resolved"));
        String first = file();
        String linkedOne = file();
        web.post().uri("/api/requests/{id}/duplicate-of/{parent}", linkedOne, first).exchange()
                .expectStatus().isOk();
        String child = file();

        // when staff try to link a new report to either, they are told why not
        for (String parent : List.of(resolved, linkedOne)) {
            web.post().uri("/api/requests/{id}/duplicate-of/{parent}", child, parent).exchange()
                    .expectStatus().isEqualTo(409)
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.detail").value(detail -> assertThat(detail.toString())
                            .contains(parent));
        }
        // and a closed one is no parent either
        kafka.send("city311.routing", resolved, event("city311.request.closed.v1", resolved));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(get(resolved).status())
                .isEqualTo("closed"));
        web.post().uri("/api/requests/{id}/duplicate-of/{parent}", child, resolved).exchange()
                .expectStatus().isEqualTo(409);

        // then nothing changed, and no link was announced
        assertThat(get(child).history()).extracting(Entry::kind).containsExactly("submitted");
        web.get().uri("/api/requests/{id}", child).exchange().expectBody().jsonPath("$.duplicateOf").doesNotExist();
        assertThat(kafka.readAll("city311.requests", Duration.ofSeconds(2)))
                .filteredOn(record -> child.equals(record.key()) && record.value().contains(LINKED)).isEmpty();
    }

    @Test
    void shouldTakeItsDepartmentFromItsOwnRoutingWhenLinkedBeforeItWasRouted() {
        // given a first report Transportation is working on, and a second not routed yet, linked to it
        String parent = file();
        kafka.send("city311.routing", parent, event("city311.request.routed.v1", parent));
        kafka.send("city311.routing", parent, event("city311.request.accepted.v1", parent));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(get(parent).status())
                .isEqualTo("in_progress"));
        String child = file();
        web.post().uri("/api/requests/{id}/duplicate-of/{parent}", child, parent).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("in_progress").jsonPath("$.department").doesNotExist();

        // when its own routing arrives afterwards
        kafka.send("city311.routing", child, event("city311.request.routed.v1", child)
                .replace("\"department\": \"transportation\"", "\"department\": \"sanitation\""));

        // then it belongs to the department it was routed to, and still shows its parent's status
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(get(child).department())
                .isEqualTo("sanitation"));
        assertThat(get(child).status()).isEqualTo("in_progress");
    }

    @Test
    void shouldPassTheStatusOnToDuplicatesLinkedBeforeParentsNamedThem() {
        // given a duplicate linked by an earlier version, whose parent does not name it
        String parent = file();
        String child = file();
        kafka.send("city311.routing", parent, event("city311.request.routed.v1", parent));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(get(parent).status())
                .isEqualTo("routed"));
        mongo.updateFirst(Query.query(Criteria.where("_id").is(child)),
                new Update().set("duplicateOf", parent).set("status", "ROUTED"), "requests").block();

        // when the service starts again, and the parent is taken on
        assertThat(DuplicateParents.name(mongo, requests).block()).isEqualTo(1);
        assertThat(DuplicateParents.name(mongo, requests).block()).isZero();
        kafka.send("city311.routing", parent, event("city311.request.accepted.v1", parent));

        // then the duplicate follows it
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(get(child).status())
                .isEqualTo("in_progress"));
        assertThat(get(child).history()).extracting(Entry::kind).containsOnlyOnce("accepted");
    }

    private String event(String type, String requestId) {
        return KafkaTestClient.example(EventContract.example(type), requestId);
    }

    private String file() {
        return web.post().uri("/api/requests").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("serviceCode", "pothole", "channel", "phone",
                        "location", Map.of("address", "5 Broadway"), "attributes", Map.of("size", "large")))
                .exchange().expectStatus().isCreated()
                .expectBody(View.class).returnResult().getResponseBody().id();
    }

    private View get(String id) {
        return web.get().uri("/api/requests/{id}", id).exchange().expectStatus().isOk()
                .expectBody(View.class).returnResult().getResponseBody();
    }

    /** The request as a client reads it. */
    record View(String id, String status, String department, String duplicateOf, List<Entry> history) {
    }

    record Entry(String kind, String status, String department, String note, String visibility) {
    }
}
