package org.city311.platform.events;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;

/**
 * A binding's consumer in batch mode ({@code spring.cloud.stream.bindings.<binding>.consumer.batch-mode=true}): the
 * records of one poll are read in order by a {@link BatchHandler}, then written together, before the offsets of the
 * poll are committed.
 * <ul>
 * <li>All well: one {@link BatchHandler#write()} for the whole batch, then the offsets are committed.</li>
 * <li>A poison (a {@link MalformedEventException}, or a tombstone) at index {@code i}: the records before it are
 * written (once) and committed; it is counted as {@code city311_events_rejected_total{topic}} and goes alone to the
 * binding's dead-letter topic; the records after it are delivered again in the next poll.</li>
 * <li>Another failure reading record {@code i}: the records before it are written and committed; it is retried
 * with the binding's back-off ({@code max-attempts}) and then dead-lettered, as a per-message consumer's would be.</li>
 * <li>The write fails: nothing of the batch is applied ({@link BatchHandler#discard()}), and it is delivered again
 * from its first record, until the store takes it ({@link BatchWriteFailedException}: never dead-lettered).</li>
 * </ul>
 * The failed record's index goes to Spring for Apache Kafka as a {@link BatchListenerFailedException}, whose error
 * handler (set up by {@link InputBindings} for every batch binding) commits, seeks and dead-letters accordingly.
 */
public final class BatchConsumer implements Consumer<Message<List<byte[]>>> {

    private static final Logger log = LoggerFactory.getLogger(BatchConsumer.class);
    private static final String CONVERSION_FAILURES = "kafka_conversionFailures";

    private final BatchHandler handler;

    public BatchConsumer(BatchHandler handler) {
        this.handler = handler;
    }

    @Override
    public void accept(Message<List<byte[]>> batch) {
        if (batch.getHeaders().get(CONVERSION_FAILURES) instanceof List<?> failures && !failures.isEmpty()) {
            // records the framework could not convert would be left out of the batch, and committed unread
            throw new IllegalStateException("records of a batch were converted: set consumer.use-native-decoding "
                    + "on the binding so that each record's bytes reach the consumer untouched");
        }
        List<byte[]> payloads = batch.getPayload();
        List<?> topics = header(batch, KafkaHeaders.RECEIVED_TOPIC, payloads.size());
        List<?> partitions = header(batch, KafkaHeaders.RECEIVED_PARTITION, payloads.size());
        List<?> offsets = header(batch, KafkaHeaders.OFFSET, payloads.size());
        List<?> keys = batch.getHeaders().get(KafkaHeaders.RECEIVED_KEY) instanceof List<?> list ? list : null;
        for (int index = 0; index < payloads.size(); index++) {
            InboundRecord record = new InboundRecord((String) topics.get(index),
                    ((Number) partitions.get(index)).intValue(), ((Number) offsets.get(index)).longValue(),
                    keys == null ? null : key(keys.get(index)), payloads.get(index), index);
            try {
                if (record.payload() == null) {
                    throw new MalformedEventException("a record without a body (a tombstone) at offset "
                            + record.offset());
                }
                handler.read(record);
            }
            catch (MalformedEventException poison) {
                EventHandlers.countRejected(record.topic(), poison);
                write();
                throw new BatchListenerFailedException("poison at " + where(record), poison, index);
            }
            catch (RuntimeException failure) {
                write();
                throw new BatchListenerFailedException("could not read " + where(record), failure, index);
            }
        }
        write();
    }

    /**
     * Writes what was read (perhaps nothing, when the first record failed: the handler then writes nothing, but
     * may note that the records were through); if the store does not take it, the whole batch comes again.
     */
    private void write() {
        try {
            handler.write();
        }
        catch (RuntimeException failure) {
            handler.discard();
            log.warn("The store did not take a batch's writes ({}); it is delivered again", failure.toString());
            throw new BatchListenerFailedException("batch not written",
                    new BatchWriteFailedException("batch not written: " + failure.getMessage(), failure), 0);
        }
    }

    private static List<?> header(Message<?> batch, String name, int size) {
        if (batch.getHeaders().get(name) instanceof List<?> values && values.size() == size) {
            return values;
        }
        throw new IllegalStateException("a batch without its " + name + " for each record: is the binding "
                + "in batch mode (consumer.batch-mode=true)?");
    }

    private static String key(Object key) {
        if (key == null) {
            return null;
        }
        return key instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : key.toString();
    }

    private static String where(InboundRecord record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
