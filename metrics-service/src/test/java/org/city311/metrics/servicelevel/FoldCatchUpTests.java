package org.city311.metrics.servicelevel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import org.city311.platform.test.TestClock;

import static org.assertj.core.api.Assertions.assertThat;

class FoldCatchUpTests {

    private static final TopicPartition REQUESTS_0 = new TopicPartition("city311.requests", 0);
    private static final TopicPartition ROUTING_0 = new TopicPartition("city311.routing", 0);

    private final List<Object> published = new ArrayList<>();
    private final FoldCatchUp catchUp = new FoldCatchUp(published::add,
            new ServiceLevels(new PrometheusRegistry(), new TestClock()));

    @Test
    void shouldAnnounceAtOnceWhenNothingIsLeftToRead() {
        // when partitions are assigned whose positions are at their ends
        catchUp.assigned(Map.of(REQUESTS_0, 5L, ROUTING_0, 0L), Map.of(REQUESTS_0, 5L, ROUTING_0, 0L));

        // then the fold is caught up
        assertThat(published).hasSize(1).first().isInstanceOf(PartitionsFolded.class);
    }

    @Test
    void shouldAnnounceOnceTheLastRecordOfEveryPartitionHasBeenFoldedAndOnlyOnce() {
        // given two partitions with records still to read
        catchUp.assigned(Map.of(REQUESTS_0, 3L, ROUTING_0, 2L), Map.of(REQUESTS_0, 0L, ROUTING_0, 1L));

        // when all but the last record of one are folded, then nothing is announced
        catchUp.processed("city311.requests", 0, 0);
        catchUp.processed("city311.requests", 0, 1);
        catchUp.processed("city311.routing", 0, 1);
        assertThat(published).isEmpty();

        // when its last one is folded, then it is announced, and later records announce nothing more
        catchUp.processed("city311.requests", 0, 2);
        catchUp.processed("city311.requests", 0, 3);
        assertThat(published).hasSize(1);
    }

    @Test
    void shouldNotWaitForPartitionsRevokedBeforeTheyCaughtUp() {
        // given one partition caught up and another behind
        catchUp.assigned(Map.of(REQUESTS_0, 3L, ROUTING_0, 2L), Map.of(REQUESTS_0, 0L, ROUTING_0, 2L));

        // when the one behind is revoked
        catchUp.revoked(List.of(REQUESTS_0));

        // then what is left is caught up
        assertThat(published).hasSize(1);
    }
}
