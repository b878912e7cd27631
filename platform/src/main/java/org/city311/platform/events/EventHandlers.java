package org.city311.platform.events;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.micrometer.core.instrument.Metrics;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;

/**
 * Dispatches the events of one topic to the consumer's {@code on(...)} methods by their versioned type.
 * <p>
 * Types the consumer does not handle are skipped: the producer may add new events to its topic at any time.
 * A known event in a version the consumer does not know (say {@code ...routed.v2} when it reads {@code v1}) is
 * refused, so that it lands in the dead-letter topic instead of being silently lost.
 */
public final class EventHandlers implements Consumer<Message<byte[]>> {

    private static final Logger log = LoggerFactory.getLogger(EventHandlers.class);

    private final CloudEvents cloudEvents;
    private final Map<String, Consumer<CloudEvent>> handlers = new HashMap<>();

    public EventHandlers(CloudEvents cloudEvents) {
        this.cloudEvents = cloudEvents;
    }

    /** Handles {@code type} by reading its data as {@code dataType} and passing it with its envelope. */
    public <T> EventHandlers on(String type, Class<T> dataType, EventHandler<T> handler) {
        handlers.put(type, event -> handler.on(cloudEvents.data(event, dataType), event));
        return this;
    }

    @Override
    public void accept(Message<byte[]> message) {
        try {
            dispatch(message);
        }
        catch (MalformedEventException poison) {
            countRejected(message, poison);
            throw poison;
        }
    }

    /**
     * Counts an event that can never be read (it goes to the dead-letter topic) as
     * {@code city311_events_rejected_total{topic}}, for the operations team's alert on poison messages.
     */
    public static void countRejected(Message<?> message, MalformedEventException poison) {
        Object topic = message.getHeaders().get(KafkaHeaders.RECEIVED_TOPIC);
        countRejected(topic == null ? null : topic.toString(), poison);
    }

    /** The same, for a record of a batch (see {@link BatchConsumer}). */
    public static void countRejected(String topic, MalformedEventException poison) {
        Metrics.counter("city311.events.rejected", "topic", topic == null ? "unknown" : topic).increment();
        log.warn("Rejected an unreadable event from {}: {}", topic, poison.getMessage());
    }

    /**
     * Dispatches one record of a batch to its handler, for a {@link BatchHandler} whose handlers hold what they
     * change for the batch's write; a poison is thrown for {@link BatchConsumer} to count and set aside.
     */
    public void dispatch(InboundRecord record) {
        dispatch(record.payload());
    }

    private void dispatch(Message<byte[]> message) {
        dispatch(message.getPayload());
    }

    private void dispatch(byte[] payload) {
        ReceivedEvent received = cloudEvents.receive(payload);
        CloudEvent event = received.event();
        Consumer<CloudEvent> handler = handlers.get(event.type());
        if (handler != null) {
            cloudEvents.checkContract(received);
            handler.accept(event);
            return;
        }
        String family = unversioned(event.type());
        if (handlers.keySet().stream().anyMatch(known -> unversioned(known).equals(family))) {
            throw new MalformedEventException("unsupported version of " + family + ": " + event.type());
        }
        log.debug("Skipping event type {} ({}): not read by this service", event.type(), event.id());
    }

    private static String unversioned(String type) {
        int lastDot = type.lastIndexOf('.');
        return lastDot < 0 ? type : type.substring(0, lastDot);
    }

    /** A consumer's handler for one event type. */
    @FunctionalInterface
    public interface EventHandler<T> {
        void on(T data, CloudEvent envelope);
    }
}
