package org.city311.deploy.store;

import java.util.List;

import de.bwaldvogel.mongo.bson.Document;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IndexedCollectionTests {

    @Test
    void shouldPinTheIdsOfAQueryThatNamesThemBesideOtherConditions() {
        assertThat(IndexedCollection.pinnedIds(new Document("_id", "311-1").append("sequence", 3)))
                .containsExactly("311-1");
        assertThat(IndexedCollection.pinnedIds(new Document("_id", new Document("$in", List.of("a", "b", "a")))
                .append("outbox.0", new Document("$exists", true)))).containsExactly("a", "b");
        // as a driver's Filters.and writes it
        assertThat(IndexedCollection.pinnedIds(new Document("$and", List.of(new Document("_id", "311-1"),
                new Document("sequence", 3))))).containsExactly("311-1");
    }

    @Test
    void shouldLeaveEveryOtherQueryToTheBackendAsBefore() {
        // the id alone: the unique index serves it already
        assertThat(IndexedCollection.pinnedIds(new Document("_id", "311-1"))).isNull();
        // no id, a range of ids, numbers (whose stored type a query need not match), an $in with a number
        assertThat(IndexedCollection.pinnedIds(new Document("department", "parks").append("status", "open")))
                .isNull();
        assertThat(IndexedCollection.pinnedIds(new Document("_id", new Document("$gt", "311-1"))
                .append("status", "open"))).isNull();
        assertThat(IndexedCollection.pinnedIds(new Document("_id", 7).append("status", "open"))).isNull();
        assertThat(IndexedCollection.pinnedIds(new Document("_id", new Document("$in", List.of("a", 7)))
                .append("status", "open"))).isNull();
    }

    @Test
    void shouldNameAScannedQueryByItsFieldsWithoutItsValues() {
        assertThat(IndexedCollection.fields(new Document("token", "abc").append("segment",
                new Document("$ne", "internal")))).isEqualTo("segment,token");
        assertThat(IndexedCollection.fields(new Document("$or", List.of(new Document("filedBy", "x"),
                new Document("additionalReporters.addedBy", "x"))).append("status", "open")))
                .isEqualTo("additionalReporters.addedBy,filedBy,status");
    }
}
