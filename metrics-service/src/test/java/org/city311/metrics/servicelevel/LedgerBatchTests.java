package org.city311.metrics.servicelevel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.city311.platform.events.BatchConsumer;
import org.city311.platform.events.CloudEvents;
import org.city311.platform.test.TestClock;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;

class LedgerBatchTests {

    private static final TopicPartition REQUESTS_0 = new TopicPartition("city311.requests", 0);

    @Test
    void shouldNotWaitForAPoisonThatIsTheFirstRecordOfItsBatchToCatchUp() {
        // given the last record on a partition at assignment is a poison, alone at the start of its batch
        List<Object> published = new ArrayList<>();
        ServiceLevels serviceLevels = new ServiceLevels(new PrometheusRegistry(), new TestClock());
        FoldCatchUp catchUp = new FoldCatchUp(published::add, serviceLevels);
        catchUp.assigned(Map.of(REQUESTS_0, 8L), Map.of(REQUESTS_0, 7L));
        LedgerStore store = new LedgerStore(mock(ReactiveMongoTemplate.class, RETURNS_DEEP_STUBS));
        BatchConsumer fold = new BatchConsumer(new LedgerBatch(
                new CloudEvents(JsonMapper.builder().build(), "test", new TestClock()), serviceLevels, store,
                catchUp));
        Message<List<byte[]>> batch = MessageBuilder
                .withPayload(List.of("{not json".getBytes(StandardCharsets.UTF_8)))
                .setHeader(KafkaHeaders.RECEIVED_TOPIC, List.of(REQUESTS_0.topic()))
                .setHeader(KafkaHeaders.RECEIVED_PARTITION, List.of(0))
                .setHeader(KafkaHeaders.OFFSET, List.of(7L))
                .build();

        // when the fold reads it, it is refused (to be set aside)
        assertThatThrownBy(() -> fold.accept(batch)).isInstanceOf(BatchListenerFailedException.class)
                .extracting(failure -> ((BatchListenerFailedException) failure).getIndex()).isEqualTo(0);

        // then the fold is caught up all the same: it never waits on a poison
        assertThat(published).hasSize(1).first().isInstanceOf(PartitionsFolded.class);
    }
}
