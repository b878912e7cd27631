package org.city311.request.status;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.city311.contracts.EventContract;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.platform.test.StoreCommands;
import org.city311.request.CatalogFixture;
import org.city311.request.catalog.ServiceCatalogCopy;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each routing event costs request-service in store commands, counted by the driver: one event at a time,
 * each waited for until the service's consumer group has committed it.
 */
@ServiceIntegrationTest
@Import(StoreCommands.Recording.class)
@TestPropertySource(properties = "city311.test.context=routing-event-cost")
@EmbeddedKafka(partitions = 3, topics = { "city311.requests", "city311.routing", "city311.catalog" })
class RoutingEventCostIntegrationTests {

    private static final List<String> TOPICS = List.of("city311.routing");

    @Autowired
    WebTestClient web;

    @Autowired
    ServiceCatalogCopy catalog;

    @Autowired
    StoreCommands commands;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    KafkaTestClient kafka;

    @BeforeEach
    void catalogPublishedByRoutingService() {
        CatalogFixture.published(catalog, brokers);
        kafka = new KafkaTestClient(brokers);
    }

    @Test
    void shouldWriteEachRoutingEventToTheTimelineInOneCommand() {
        // given a request filed, and its whole life at the department as its events come
        String id = file();
        Map<String, String> life = new LinkedHashMap<>();
        life.put("routed", routing(id, EventContract.REQUEST_ROUTED, 1));
        life.put("accepted", routing(id, EventContract.REQUEST_ACCEPTED, 2));
        String note = routing(id, EventContract.REQUEST_UPDATED, 3);
        life.put("updated", note);
        life.put("put-on-hold", routing(id, EventContract.REQUEST_PUT_ON_HOLD, 4));
        life.put("resumed", routing(id, EventContract.REQUEST_RESUMED, 5));
        life.put("transferred", routing(id, EventContract.REQUEST_TRANSFERRED, 6));
        life.put("resolved", routing(id, EventContract.REQUEST_RESOLVED, 7));
        life.put("reopened", routing(id, EventContract.REQUEST_REOPENED, 8));
        life.put("resolved again", routing(id, EventContract.REQUEST_RESOLVED, 9));
        life.put("closed", routing(id, EventContract.REQUEST_CLOSED, 10));
        life.put("updated, redelivered", note);

        // when they are consumed one by one
        Map<String, List<StoreCommands.Command>> cost = consumeOneByOne(id, life);

        // then each is one update of the request's own document, and none looks for duplicates
        cost.forEach((step, spent) -> {
            if (!step.endsWith("redelivered")) {
                assertThat(spent).as(step).singleElement()
                        .satisfies(command -> assertThat(command.collection()).isEqualTo("requests"));
            }
        });
        assertThat(cost.values().stream().flatMap(List::stream))
                .noneMatch(command -> command.json().contains("duplicateOf\": \"" + id));
        // and a redelivery, rare, tries its guarded updates and changes nothing
        assertThat(cost.get("updated, redelivered")).hasSizeLessThanOrEqualTo(4);
        web.get().uri("/api/requests/{id}", id).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("closed")
                .jsonPath("$.history[?(@.kind == 'updated')]").value(updates -> assertThat((List<?>) updates)
                        .hasSize(1));
    }

    @Test
    void shouldPassTheParentsStatusOnToItsDuplicatesByTheirIds() {
        // given a request with a second report linked to it as its duplicate
        String parent = file();
        String child = file();
        kafka.send("city311.routing", parent, routing(parent, EventContract.REQUEST_ROUTED, 1));
        StoreCommands.awaitConsumed(brokers, "request-service", TOPICS);
        web.post().uri("/api/requests/{id}/duplicate-of/{parent}", child, parent).exchange().expectStatus().isOk();

        // when the department accepts the first
        Map<String, List<StoreCommands.Command>> cost = consumeOneByOne(parent,
                Map.of("accepted", routing(parent, EventContract.REQUEST_ACCEPTED, 2)));

        // then its timeline is one update, and its duplicate's another, found by its id
        assertThat(cost.get("accepted")).hasSize(2).allSatisfy(command -> assertThat(command.collection())
                .isEqualTo("requests"));
        assertThat(cost.get("accepted").get(1).json()).contains(child);
        web.get().uri("/api/requests/{id}", child).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("in_progress");
    }

    private Map<String, List<StoreCommands.Command>> consumeOneByOne(String id, Map<String, String> events) {
        Map<String, List<StoreCommands.Command>> cost = new LinkedHashMap<>();
        StoreCommands.awaitConsumed(brokers, "request-service", TOPICS);
        events.forEach((step, event) -> {
            commands.clear();
            kafka.send("city311.routing", id, event);
            StoreCommands.awaitConsumed(brokers, "request-service", TOPICS);
            // but for the outbox relay's removal of request-created, which may come late
            cost.put(step, commands.naming(id).stream().filter(command -> !command.json().contains("\"outbox\""))
                    .toList());
        });
        List<String> table = new ArrayList<>();
        cost.forEach((step, spent) -> table.add("| " + step + " | " + spent.size() + " | "
                + StoreCommands.tally(spent) + " |"));
        System.out.println("request-service store commands per event:\n" + String.join("\n", table));
        return cost;
    }

    private static String routing(String id, String type, long sequence) {
        return KafkaTestClient.example(EventContract.example(type), id)
                .replaceFirst("\"sequence\"\\s*:\\s*\\d+", "\"sequence\": " + sequence);
    }

    private String file() {
        return web.post().uri("/api/requests").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("serviceCode", "pothole", "channel", "phone",
                        "location", Map.of("address", "5 Broadway"), "attributes", Map.of("size", "large")))
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();
    }
}
