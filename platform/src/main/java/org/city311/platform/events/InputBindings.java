package org.city311.platform.events;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cloud.stream.binder.ExtendedConsumerProperties;
import org.springframework.cloud.stream.binder.kafka.ListenerContainerWithDlqAndRetryCustomizer;
import org.springframework.cloud.stream.binder.kafka.properties.KafkaConsumerProperties;
import org.springframework.cloud.stream.binder.kafka.utils.DlqDestinationResolver;
import org.springframework.cloud.stream.binder.kafka.utils.DlqPartitionFunction;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

/**
 * The Kafka binder's one listener-container customizer: every input binding's container is registered for
 * {@link BindingShutdown}; a binding in batch mode ({@code consumer.batch-mode=true}, read by a
 * {@link BatchConsumer}) also gets its error handling here, since the binder's own retries do not apply to batches
 * and its own dead-lettering would set the whole batch aside:
 * <ul>
 * <li>a {@code DefaultErrorHandler} that reads the failed record's index from the
 * {@code BatchListenerFailedException}, commits the records before it, and retries the rest from it;</li>
 * <li>a {@link MalformedEventException} is not retried: that record alone goes to the dead-letter topic
 * ({@link DeadLetters}, the binder's topic and headers) and is committed;</li>
 * <li>other failures of one record are retried with the binding's back-off ({@code max-attempts},
 * {@code back-off-*}, {@code retryable-exceptions}), then dead-lettered, as for a per-message binding;</li>
 * <li>a batch the store did not take ({@link BatchWriteFailedException}) is retried with the binding's back-off
 * growing up to {@code back-off-max-interval}, for as long as it takes: its records are not at fault, and setting
 * them aside would lose them. The waits end at once when the binding is stopped.</li>
 * </ul>
 * Per-message bindings keep the binder's own retries and dead-lettering, unchanged. A batch binding named in
 * {@code city311.bindings.gather} waits after each batch until that time has passed since it arrived
 * ({@link PollGather}).
 */
public final class InputBindings implements ListenerContainerWithDlqAndRetryCustomizer, DisposableBean {

    private final BindingShutdown shutdown;
    private final DlqDestinationResolver destinations;
    private final DlqPartitionFunction partitions;
    private final Environment environment;
    private final BindingProperties bindings;
    private final List<DefaultKafkaProducerFactory<byte[], byte[]>> producers = new CopyOnWriteArrayList<>();

    public InputBindings(BindingShutdown shutdown, DlqDestinationResolver destinations,
            DlqPartitionFunction partitions, Environment environment, BindingProperties bindings) {
        this.shutdown = shutdown;
        this.destinations = destinations;
        this.partitions = partitions;
        this.environment = environment;
        this.bindings = bindings;
    }

    @Override
    public void configure(AbstractMessageListenerContainer<?, ?> container, String destinationName, String group,
            BiFunction<ConsumerRecord<?, ?>, Exception, TopicPartition> dlqDestinationResolver, BackOff backOff) {
        shutdown.register(container, destinationName, group);
    }

    @Override
    public void configure(AbstractMessageListenerContainer<?, ?> container, String destinationName, String group,
            BiFunction<ConsumerRecord<?, ?>, Exception, TopicPartition> dlqDestinationResolver, BackOff backOff,
            ExtendedConsumerProperties<KafkaConsumerProperties> properties) {
        shutdown.register(container, destinationName, group);
        Duration gather = bindings.gather(properties.getBindingName());
        if (!gather.isZero()) {
            if (!properties.isBatchMode()) {
                throw new IllegalStateException("city311.bindings.gather." + properties.getBindingName()
                        + " names a binding that is not in batch mode (consumer.batch-mode=true)");
            }
            gatherPolls(container, new PollGather(gather));
        }
        if (properties.isBatchMode()) {
            if (!properties.isUseNativeDecoding()) {
                // Spring Cloud Function would convert each record by its content type, and leave out of the batch
                // (unread, yet committed) those it cannot: a CloudEvent is read by the consumer, from its bytes.
                throw new IllegalStateException("the batch binding " + properties.getBindingName() + " ("
                        + destinationName + ") must set consumer.use-native-decoding=true");
            }
            container.setCommonErrorHandler(batchErrors(group, backOff, properties));
        }
    }

    @SuppressWarnings({ "rawtypes", "unchecked" })
    private static void gatherPolls(AbstractMessageListenerContainer<?, ?> container, PollGather gather) {
        ((AbstractMessageListenerContainer) container).setBatchInterceptor(gather);
    }

    private DefaultErrorHandler batchErrors(String group, BackOff backOff,
            ExtendedConsumerProperties<KafkaConsumerProperties> properties) {
        DeadLetters deadLetters = properties.getExtension().isEnableDlq()
                ? new DeadLetters(group, properties.getExtension(), destinations, partitions,
                        producer(properties.getExtension()))
                : null;
        DefaultErrorHandler errors = deadLetters != null
                ? new DefaultErrorHandler(deadLetters, backOff != null ? backOff : new FixedBackOff(0L, 0L))
                : new DefaultErrorHandler(backOff != null ? backOff : new FixedBackOff(0L, 0L));
        if (!properties.isDefaultRetryable()) {
            errors.defaultFalse(true);
        }
        properties.getRetryableExceptions().forEach((type, retryable) -> {
            if (Exception.class.isAssignableFrom(type)) {
                if (retryable) {
                    errors.addRetryableExceptions(type.asSubclass(Exception.class));
                }
                else {
                    errors.addNotRetryableExceptions(type.asSubclass(Exception.class));
                }
            }
        });
        errors.addNotRetryableExceptions(MalformedEventException.class);
        errors.addRetryableExceptions(BatchWriteFailedException.class);
        ExponentialBackOff untilStored = new ExponentialBackOff(properties.getBackOffInitialInterval(),
                properties.getBackOffMultiplier());
        untilStored.setMaxInterval(properties.getBackOffMaxInterval());
        errors.setBackOffFunction((record, thrown) -> writeFailed(thrown) ? untilStored : null);
        return errors;
    }

    private static boolean writeFailed(Throwable thrown) {
        return DeadLetters.reason(thrown) instanceof BatchWriteFailedException;
    }

    /** The dead letters' producer, made on first use: the binder's brokers and client configuration. */
    private Supplier<KafkaTemplate<byte[], byte[]>> producer(KafkaConsumerProperties binding) {
        return new Supplier<>() {
            private KafkaTemplate<byte[], byte[]> template;

            @Override
            public synchronized KafkaTemplate<byte[], byte[]> get() {
                if (template == null) {
                    DefaultKafkaProducerFactory<byte[], byte[]> factory =
                            new DefaultKafkaProducerFactory<>(producerConfiguration(binding));
                    producers.add(factory);
                    template = new KafkaTemplate<>(factory);
                }
                return template;
            }
        };
    }

    private Map<String, Object> producerConfiguration(KafkaConsumerProperties binding) {
        Binder binder = Binder.get(environment);
        Map<String, Object> config = new HashMap<>();
        config.putAll(binder.bind("spring.cloud.stream.kafka.binder.configuration",
                Bindable.mapOf(String.class, String.class)).orElse(Map.of()));
        config.putAll(binder.bind("spring.cloud.stream.kafka.binder.producer-properties",
                Bindable.mapOf(String.class, String.class)).orElse(Map.of()));
        config.putAll(binding.getDlqProducerProperties().getConfiguration());
        String brokers = String.join(",", binder.bind("spring.cloud.stream.kafka.binder.brokers", String[].class)
                .orElseGet(() -> binder.bind("spring.kafka.bootstrap-servers", String[].class)
                        .orElse(new String[] { "localhost:9092" })));
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return config;
    }

    @Override
    public void destroy() {
        producers.forEach(DefaultKafkaProducerFactory::destroy);
    }
}
