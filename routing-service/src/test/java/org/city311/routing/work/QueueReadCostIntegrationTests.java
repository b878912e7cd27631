package org.city311.routing.work;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.city311.platform.test.ServiceIntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.aggregation.Aggregation;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a department's queue read, and a least-loaded assignment's read of the agents' loads, cost as closed history
 * piles up in the store beside the open work: a small bench, printed, never asserted on time. The local Mongo-wire store keeps unique indexes only, so every query not on
 * {@code _id} walks every document of the collection: the documents it scans are the collection's.
 */
@ServiceIntegrationTest
@TestPropertySource(properties = "city311.test.context=queue-read-cost")
class QueueReadCostIntegrationTests {

    private static final int READS = 15;
    /**
     * The closed history the reads are measured beside, growing: 0 and 2,000 in the build; the figures the README
     * quotes add 10,000 and more ({@code -Dcity311.queue-cost.closed=0,2000,10000}), which take a minute to insert.
     */
    private static final int[] CLOSED = Arrays.stream(System.getProperty("city311.queue-cost.closed", "0,2000")
            .split(",")).mapToInt(size -> Integer.parseInt(size.strip())).toArray();

    @Autowired
    WebTestClient web;

    @Autowired
    ReactiveMongoTemplate mongo;

    @Autowired
    AgentLoads loads;

    @Autowired
    LoadRecount recount;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    @Test
    void shouldPrintWhatAQueuePageCostsAsClosedHistoryGrows() {
        // given fifty open potholes in Transportation's queue
        String first = RoutedRequests.routed(brokers, "pothole");
        Document template = mongo.findById(first, Document.class, WorkItem.COLLECTION).block(Duration.ofSeconds(5));
        List<Document> open = new ArrayList<>();
        for (int i = 1; i < 50; i++) {
            open.add(copy(template, "open", i, "ROUTED"));
        }
        mongo.insert(open, WorkItem.COLLECTION).collectList().block(Duration.ofMinutes(1));

        StringBuilder table = new StringBuilder("\nA queue page (limit 50) of 50 open items, beside closed history:\n"
                + "closed items | documents in work | page ms (median, max of " + READS + ") | 304 ms (median)\n");
        int closed = 0;
        for (int target : CLOSED) {
            // when closed work is added up to the target and the page is read, again and again
            List<Document> history = new ArrayList<>();
            while (closed < target) {
                history.add(copy(template, "closed", closed++, "CLOSED"));
            }
            if (!history.isEmpty()) {
                mongo.insert(history, WorkItem.COLLECTION).collectList().block(Duration.ofMinutes(5));
            }
            long documents = mongo.getCollection(WorkItem.COLLECTION)
                    .flatMap(work -> Mono.from(work.countDocuments())).block(Duration.ofMinutes(1));
            List<Long> pages = new ArrayList<>();
            List<Long> unchanged = new ArrayList<>();
            String etag = null;
            for (int i = 0; i < READS; i++) {
                long start = System.nanoTime();
                var page = web.get().uri("/api/departments/transportation/queue?limit=50").exchange()
                        .expectStatus().isOk().expectBody(String.class).returnResult();
                pages.add((System.nanoTime() - start) / 1_000_000);
                etag = page.getResponseHeaders().getETag();
                // then the open work is listed whatever lies beside it
                assertThat(page.getResponseBody()).contains(first);
                start = System.nanoTime();
                web.get().uri("/api/departments/transportation/queue?limit=50")
                        .header(HttpHeaders.IF_NONE_MATCH, etag).exchange().expectStatus().isNotModified();
                unchanged.add((System.nanoTime() - start) / 1_000_000);
            }
            table.append(String.format("%12d | %17d | %14d, %4d | %6d%n", closed, documents, median(pages),
                    pages.stream().mapToLong(Long::longValue).max().orElse(0), median(unchanged)));
        }
        System.out.println(table);
    }

    @Test
    void shouldPrintWhatALeastLoadedAssignmentCostsAsClosedHistoryGrows() {
        // given thirty open heat complaints in Housing, held by its three agents, their loads counted
        String first = RoutedRequests.routed(brokers, "heat-hot-water");
        Document template = mongo.findById(first, Document.class, WorkItem.COLLECTION).block(Duration.ofSeconds(5));
        List<String> agents = List.of("s.goldberg", "t.nguyen", "a.haddad");
        List<Document> open = new ArrayList<>();
        for (int i = 1; i < 30; i++) {
            open.add(held(copy(template, "open-heat", i, "ROUTED"), agents.get(i % 3)));
        }
        mongo.insert(open, WorkItem.COLLECTION).collectList().block(Duration.ofMinutes(1));
        assertThat(recount.recount().block(Duration.ofMinutes(1))).isTrue();

        StringBuilder table = new StringBuilder("\nThe least-loaded assignment's read of Housing's loads (30 open items), "
                + "beside closed history:\nclosed items | documents in work | counting work ms (median, max of " + READS
                + ", until 2026-12-06) | reading the counter ms (median, max) | recount ms\n");
        int closed = 0;
        for (int target : CLOSED) {
            // when closed work is added up to the target, and the loads are read both ways, again and again
            List<Document> history = new ArrayList<>();
            while (closed < target) {
                history.add(held(copy(template, "closed-heat", closed, "CLOSED"), agents.get(closed++ % 3)));
            }
            if (!history.isEmpty()) {
                mongo.insert(history, WorkItem.COLLECTION).collectList().block(Duration.ofMinutes(5));
            }
            long documents = mongo.getCollection(WorkItem.COLLECTION)
                    .flatMap(work -> Mono.from(work.countDocuments())).block(Duration.ofMinutes(1));
            List<Long> counting = new ArrayList<>();
            List<Long> reading = new ArrayList<>();
            for (int i = 0; i < READS; i++) {
                long start = System.nanoTime();
                // the count the assignment made before: the department's open work of its agents, by agent
                Map<String, Long> counted = mongo.aggregate(Aggregation.newAggregation(
                                Aggregation.match(Criteria.where("department").is("housing")
                                        .and("status").in(WorkStatus.OPEN).and("agent").in(agents)),
                                Aggregation.group("agent").count().as("load")), WorkItem.class, Document.class)
                        .collectMap(load -> load.getString("_id"), load -> load.get("load", Number.class).longValue())
                        .block(Duration.ofMinutes(1));
                counting.add((System.nanoTime() - start) / 1_000_000);
                start = System.nanoTime();
                Map<String, Long> kept = loads.of("housing").block(Duration.ofMinutes(1));
                reading.add((System.nanoTime() - start) / 1_000_000);
                // then both say the same
                assertThat(kept).isEqualTo(counted);
            }
            long start = System.nanoTime();
            assertThat(recount.recount().block(Duration.ofMinutes(1))).isTrue();
            long recounted = (System.nanoTime() - start) / 1_000_000;
            table.append(String.format("%12d | %17d | %14d, %4d | %14d, %4d | %6d%n", closed, documents,
                    median(counting), counting.stream().mapToLong(Long::longValue).max().orElse(0), median(reading),
                    reading.stream().mapToLong(Long::longValue).max().orElse(0), recounted));
        }
        System.out.println(table);
    }

    private static Document held(Document item, String agent) {
        item.put("agent", agent);
        return item;
    }

    private static Document copy(Document template, String kind, int number, String status) {
        Document copy = new Document(template);
        copy.put("_id", "311-" + kind + "-" + number);
        copy.put("status", status);
        copy.remove("outbox");
        return copy;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
