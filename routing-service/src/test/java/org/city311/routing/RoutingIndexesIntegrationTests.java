package org.city311.routing;

import java.time.Duration;
import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import org.city311.platform.outbox.OutboxProperties;
import org.city311.platform.test.ServiceIntegrationTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The indexes routing-service asks the store for at start, as the driver lists them: what real MongoDB needs for the
 * department queues, the least-loaded assignment and the outbox relay's polls.
 */
@ServiceIntegrationTest
class RoutingIndexesIntegrationTests {

    @Autowired
    ReactiveMongoTemplate mongo;

    @Autowired
    OutboxProperties outbox;

    @Test
    void shouldIndexTheQueueReadsAndTheLeastLoadedCountsOnWork() {
        // given the service has started (its indexes are made before it takes traffic)
        // when the work collection's indexes are listed
        List<List<String>> keys = keysOf("work");

        // then the queue counts (department, status, agent, due time: all the counts read, so the index answers them
        // alone) and the recount of the agents' loads read through one compound index, in that field order; a queue
        // page through one that leads with the open statuses and follows the page's order
        assertThat(keys).contains(orderedKeys("department", "status", "agent", "resolutionDueAt"),
                orderedKeys("department", "status", "resolutionDueAt", "routedAt", "_id"));
        assertThat(keys).doesNotContain(orderedKeys("department", "status", "agent"),
                orderedKeys("department", "resolutionDueAt", "routedAt", "_id"));
    }

    @Test
    void shouldIndexThePendingEventsOfEveryCollectionTheOutboxRelayPolls() {
        // given the collections the relay polls (city311.outbox.collections)
        assertThat(outbox.collections()).containsExactlyInAnyOrder("work", "catalog");

        // when each one's indexes are listed, then its poll (outbox.0 exists) has an index
        for (String collection : outbox.collections()) {
            assertThat(keysOf(collection)).as("indexes of %s", collection).contains(orderedKeys("outbox.0"));
        }
    }

    /** Each index's key as its fields in order, each with its direction: {@code ["department:1", ...]}. */
    private List<List<String>> keysOf(String collection) {
        return mongo.getCollection(collection)
                .flatMapMany(c -> c.listIndexes(Document.class))
                .map(index -> index.get("key", Document.class).entrySet().stream()
                        .map(field -> field.getKey() + ":" + ((Number) field.getValue()).intValue())
                        .toList())
                .collectList()
                .block(Duration.ofSeconds(10));
    }

    /** An index key with every field ascending, in the order given. */
    private static List<String> orderedKeys(String... fields) {
        return java.util.Arrays.stream(fields).map(field -> field + ":1").toList();
    }
}
