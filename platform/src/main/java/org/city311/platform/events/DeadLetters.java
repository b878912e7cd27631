package org.city311.platform.events;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.cloud.stream.binder.kafka.properties.KafkaConsumerProperties;
import org.springframework.cloud.stream.binder.kafka.utils.DlqDestinationResolver;
import org.springframework.cloud.stream.binder.kafka.utils.DlqPartitionFunction;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.util.StringUtils;

/**
 * Sets one failed record of a batch binding aside in the binding's dead-letter topic, as the binder does for a
 * per-message binding: the same topic (the {@link DlqDestinationResolver} bean, else the binding's {@code dlq-name},
 * else {@code error.<topic>.<group>}), the same partition ({@link DlqPartitionFunction}), the record's key, value
 * and headers, and the binder's {@code x-original-*} and {@code x-exception-*} headers (the reason in
 * {@code x-exception-message}). The send is awaited: a record whose dead letter was not taken is not recovered,
 * so it is not committed either, and comes back.
 */
final class DeadLetters implements ConsumerRecordRecoverer {

    static final String ORIGINAL_TOPIC = "x-original-topic";
    static final String ORIGINAL_PARTITION = "x-original-partition";
    static final String ORIGINAL_OFFSET = "x-original-offset";
    static final String ORIGINAL_TIMESTAMP = "x-original-timestamp";
    static final String ORIGINAL_TIMESTAMP_TYPE = "x-original-timestamp-type";
    static final String EXCEPTION_FQCN = "x-exception-fqcn";
    static final String EXCEPTION_MESSAGE = "x-exception-message";
    static final String EXCEPTION_STACKTRACE = "x-exception-stacktrace";

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final String group;
    private final KafkaConsumerProperties binding;
    private final DlqDestinationResolver destinations;
    private final DlqPartitionFunction partitions;
    private final Supplier<KafkaTemplate<byte[], byte[]>> kafka;

    DeadLetters(String group, KafkaConsumerProperties binding, DlqDestinationResolver destinations,
            DlqPartitionFunction partitions, Supplier<KafkaTemplate<byte[], byte[]>> kafka) {
        this.group = group;
        this.binding = binding;
        this.destinations = destinations;
        this.partitions = partitions != null ? partitions
                : DlqPartitionFunction.determineFallbackFunction(binding.getDlqPartitions(),
                        LogFactory.getLog(DeadLetters.class));
        this.kafka = kafka;
    }

    @Override
    public void accept(ConsumerRecord<?, ?> record, Exception thrown) {
        Throwable reason = reason(thrown);
        String topic = destinations != null
                ? destinations.apply(record, reason instanceof Exception ex ? ex : new Exception(reason))
                : StringUtils.hasText(binding.getDlqName()) ? binding.getDlqName()
                        : "error." + record.topic() + "." + group;
        Headers headers = new RecordHeaders(record.headers().toArray());
        headers.add(ORIGINAL_TOPIC, bytes(record.topic()));
        headers.add(ORIGINAL_PARTITION, ByteBuffer.allocate(Integer.BYTES).putInt(record.partition()).array());
        headers.add(ORIGINAL_OFFSET, ByteBuffer.allocate(Long.BYTES).putLong(record.offset()).array());
        headers.add(ORIGINAL_TIMESTAMP, ByteBuffer.allocate(Long.BYTES).putLong(record.timestamp()).array());
        headers.add(ORIGINAL_TIMESTAMP_TYPE, bytes(record.timestampType().toString()));
        headers.add(EXCEPTION_FQCN, bytes(reason.getClass().getName()));
        if (reason.getMessage() != null) {
            headers.add(EXCEPTION_MESSAGE, bytes(reason.getMessage()));
        }
        headers.add(EXCEPTION_STACKTRACE, bytes(stackTrace(reason)));
        ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(topic, partitions.apply(group, record, reason),
                raw(record.key()), raw(record.value()), headers);
        try {
            kafka.get().send(letter).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            log.warn("Set {}-{}@{} aside in {}: {}", record.topic(), record.partition(), record.offset(), topic,
                    reason.getMessage());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while dead-lettering " + record.topic() + "-" + record.partition()
                    + "@" + record.offset(), ex);
        }
        catch (ExecutionException | TimeoutException ex) {
            throw new KafkaException("could not dead-letter " + record.topic() + "-" + record.partition() + "@"
                    + record.offset() + " to " + topic + "; it stays uncommitted", ex);
        }
    }

    /** What the consumer threw about this record: the cause its batch listener gave, not the wrappers. */
    static Throwable reason(Throwable thrown) {
        Throwable current = thrown;
        for (int depth = 0; current != null && depth < 20; depth++) {
            if (current instanceof BatchListenerFailedException failed && failed.getCause() != null) {
                return failed.getCause();
            }
            current = current.getCause();
        }
        return thrown;
    }

    private static byte[] raw(Object value) {
        if (value == null || value instanceof byte[]) {
            return (byte[]) value;
        }
        return bytes(value.toString());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String stackTrace(Throwable throwable) {
        StringWriter trace = new StringWriter();
        throwable.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }
}
