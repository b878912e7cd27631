package org.city311.routing.work;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import org.city311.contracts.EventContract;
import org.city311.platform.test.KafkaTestClient;
import org.city311.platform.test.ServiceIntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A request linked as a duplicate leaves its department's open work, whatever the order its events arrive in. */
@ServiceIntegrationTest
class DuplicateLinksIntegrationTests {

    @Autowired
    WebTestClient web;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Autowired
    ReactiveMongoTemplate mongo;

    @Autowired
    DuplicateLinks links;

    @Autowired
    Clock clock;

    @Test
    void shouldCloseALinkedDuplicateOutOfTheQueueOnceAndRefuseToWorkIt() {
        // given two reports of one pothole in Transportation's queue
        String parent = RoutedRequests.routed(brokers, "pothole");
        String duplicate = RoutedRequests.routed(brokers, "pothole");
        assertThat(queue("transportation")).contains(duplicate, parent);
        String etag = web.get().uri("/api/departments/transportation/queue").exchange().expectStatus().isOk()
                .returnResult(String.class).getResponseHeaders().getETag();

        // when staff link the second to the first, and the link is delivered twice
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        String linked = linked(duplicate, parent);
        kafka.send("city311.requests", duplicate, linked);
        kafka.send("city311.requests", duplicate, linked);

        // then the second is closed here as a duplicate of the first, out of the open queue; the first stays
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> web.get().uri(RoutedRequests.WORK + "/{id}", duplicate)
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("closed").jsonPath("$.duplicateOf").isEqualTo(parent)
                .jsonPath("$.overdue").isEqualTo(false));
        assertThat(queue("transportation")).contains(parent).doesNotContain(duplicate);
        // and the queue's ETag from before the link is no longer current: a console polling with it sees the change
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> web.get().uri("/api/departments/transportation/queue")
                .header(HttpHeaders.IF_NONE_MATCH, etag).exchange().expectStatus().isOk());
        // and the department works the first: an action on the second is refused, naming the first
        web.post().uri(RoutedRequests.WORK + "/{id}/accept", duplicate).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("agent", "m.rivera")).exchange().expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat(detail.toString()).contains(parent));
        web.get().uri(RoutedRequests.WORK + "/{id}", duplicate).exchange().expectBody()
                .jsonPath("$.version").isEqualTo(1);
        // and nothing more is published about it: the link itself tells every reader
        assertThat(kafka.readAll("city311.routing", Duration.ofSeconds(2)))
                .filteredOn(record -> duplicate.equals(record.key())).hasSize(1);
    }

    @Test
    void shouldTakeALinkThatArrivesBeforeTheRequestItLinks() {
        // given a link to a request this service has not heard of yet (the link overtook it)
        String parent = RoutedRequests.routed(brokers, "pothole");
        String duplicate = "311-" + (10_000_000 + (int) (Math.random() * 89_999_999));
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        kafka.send("city311.requests", duplicate, linked(duplicate, parent));

        // when the request itself arrives
        kafka.send("city311.requests", duplicate, KafkaTestClient.example(
                EventContract.example("city311.request.created.v1"), duplicate)
                .replaceAll("\"serviceCode\"\\s*:\\s*\"[^\"]+\"", "\"serviceCode\": \"pothole\""));

        // then it is routed (its department still answers for it), and closed as a duplicate, out of the queue
        kafka.await("city311.routing", record -> duplicate.equals(record.key()), Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> web.get().uri(RoutedRequests.WORK + "/{id}", duplicate)
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.department").isEqualTo("transportation")
                .jsonPath("$.status").isEqualTo("closed").jsonPath("$.duplicateOf").isEqualTo(parent));
        assertThat(queue("transportation")).contains(parent).doesNotContain(duplicate);
    }

    @Test
    void shouldTakeOverALinkTheOlderVersionKeptApartWhenItStarts() {
        // given a link to a request not routed yet, kept as the older version kept them: in a collection of their own
        String parent = RoutedRequests.routed(brokers, "pothole");
        String duplicate = "311-" + (10_000_000 + (int) (Math.random() * 89_999_999));
        mongo.insert(new Document("_id", duplicate).append("parentRequestId", parent)
                .append("linkedAt", java.util.Date.from(clock.instant())), DuplicateLinks.OLD_COLLECTION)
                .block(Duration.ofSeconds(5));

        // when the service takes them over (as it does at start), then that collection is gone
        links.takeOverOlderLinks();
        assertThat(mongo.collectionExists(DuplicateLinks.OLD_COLLECTION).block(Duration.ofSeconds(5))).isFalse();

        // and when the request arrives, it is routed and closed as a duplicate, out of the queue
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        kafka.send("city311.requests", duplicate, KafkaTestClient.example(
                EventContract.example("city311.request.created.v1"), duplicate)
                .replaceAll("\"serviceCode\"\\s*:\\s*\"[^\"]+\"", "\"serviceCode\": \"pothole\""));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> web.get().uri(RoutedRequests.WORK + "/{id}", duplicate)
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("closed").jsonPath("$.duplicateOf").isEqualTo(parent));
        assertThat(queue("transportation")).contains(parent).doesNotContain(duplicate);
    }

    @Test
    void shouldKeepALinkedRequestThatWasNeverRoutedOutOfEveryReadOfWork() {
        // given a link to a request that has not arrived
        String parent = RoutedRequests.routed(brokers, "pothole");
        String duplicate = "311-" + (10_000_000 + (int) (Math.random() * 89_999_999));
        KafkaTestClient kafka = new KafkaTestClient(brokers);
        kafka.send("city311.requests", duplicate, linked(duplicate, parent));
        await().atMost(Duration.ofSeconds(20)).until(() -> mongo.findById(duplicate, Document.class, "work")
                .blockOptional(Duration.ofSeconds(5)).isPresent());

        // then there is no work for it yet: nothing to read or act on, in no queue
        web.get().uri(RoutedRequests.WORK + "/{id}", duplicate).exchange().expectStatus().isNotFound();
        web.post().uri(RoutedRequests.WORK + "/{id}/accept", duplicate).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("agent", "m.rivera")).exchange().expectStatus().isNotFound();
        assertThat(queue("transportation")).doesNotContain(duplicate);
    }

    private static String linked(String duplicate, String parent) {
        return KafkaTestClient.example(EventContract.example("city311.request.linked.v1"), duplicate)
                .replace("311-00000017", parent);
    }

    private String queue(String department) {
        return web.get().uri("/api/departments/{department}/queue", department).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
    }
}
