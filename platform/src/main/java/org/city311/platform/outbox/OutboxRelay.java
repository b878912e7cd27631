package org.city311.platform.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.apache.kafka.clients.producer.ProducerRecord;

import org.city311.platform.events.CloudEvent;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Publishes the events that state changes left in their documents' {@code outbox} arrays, in order, and removes
 * each one once Kafka has acknowledged it ({@code acks=all}, idempotent producer).
 * <p>
 * It writes with Spring Kafka's template rather than a Spring Cloud Stream output binding: the record must go out
 * exactly as the contract says (structured CloudEvent, {@code content-type} header), and Spring Cloud Function's
 * own CloudEvents support would otherwise rewrite a message with that content type.
 * <p>
 * A crash between the acknowledgement and the removal publishes the event again after restart: delivery is at
 * least once, and every consumer is idempotent. While Kafka or MongoDB is down the relay backs off and retries,
 * so an accepted change waits in its document instead of being lost.
 */
public final class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
    /** At stop: how long a pass in progress may take to finish, and then how long the last pass may take. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(2);
    private static final long NO_DEADLINE = Long.MAX_VALUE;
    /** See {@link #getPhase()}. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final ReactiveMongoTemplate mongo;
    private final KafkaTemplate<byte[], byte[]> kafka;
    private final OutboxProperties properties;
    private final Counter published;
    private final Counter failures;
    /** Documents with events waiting, counted at each pass: what a Kafka outage leaves behind, as it grows. */
    private final AtomicLong pending = new AtomicLong();
    private static final Duration PENDING_COUNT_INTERVAL = Duration.ofSeconds(10);
    private long lastCountNanos = System.nanoTime() - PENDING_COUNT_INTERVAL.toNanos();
    private final AtomicBoolean wakeUpPending = new AtomicBoolean();
    private final AtomicLong passes = new AtomicLong();
    private volatile ScheduledExecutorService executor;
    private volatile long pausedUntilNanos;
    private Duration backoff;

    public OutboxRelay(ReactiveMongoTemplate mongo, KafkaTemplate<byte[], byte[]> kafka, OutboxProperties properties,
            MeterRegistry meters) {
        this.mongo = mongo;
        this.kafka = kafka;
        this.properties = properties;
        this.backoff = properties.pollInterval();
        this.published = Counter.builder("city311.outbox.published")
                .description("Events the outbox relay published to Kafka").register(meters);
        this.failures = Counter.builder("city311.outbox.publish.failures")
                .description("Failed attempts to publish pending events (Kafka or MongoDB unreachable)")
                .register(meters);
        Gauge.builder("city311.outbox.pending", pending, AtomicLong::get)
                .description("Documents with events waiting to be published (counted at each relay pass)")
                .register(meters);
    }

    /** Asks for a run as soon as possible: called after a write that added events, so latency stays low. */
    public void wakeUp() {
        ScheduledExecutorService current = executor;
        if (current != null && wakeUpPending.compareAndSet(false, true)) {
            current.execute(() -> {
                wakeUpPending.set(false);
                relayPending();
            });
        }
    }

    /** Publishes everything pending now; runs on the relay's own thread, where blocking is fine. */
    void relayPending() {
        relayPending(NO_DEADLINE);
    }

    /**
     * The same, giving up once {@code System.nanoTime()} passes the deadline ({@link #NO_DEADLINE}: never): what is
     * left waits in the store.
     */
    private void relayPending(long deadlineNanos) {
        if (System.nanoTime() < pausedUntilNanos) {
            return;
        }
        try {
            countPending();
            for (String collection : properties.collections()) {
                while (relayBatch(collection, deadlineNanos) == properties.batchSize()
                        && System.nanoTime() < deadlineNanos) {
                    // a full batch: more may be waiting
                }
            }
            backoff = properties.pollInterval();
            passes.incrementAndGet();
        }
        catch (RuntimeException ex) {
            failures.increment();
            backoff = min(backoff.multipliedBy(2), properties.maxBackoff());
            pausedUntilNanos = System.nanoTime() + backoff.toNanos();
            log.warn("Could not publish pending events ({}); retrying in {} ms", ex.getMessage(), backoff.toMillis());
        }
    }

    /** Passes that went through everything pending: tests wait on it instead of sleeping. */
    long completedPasses() {
        return passes.get();
    }

    /** At most every {@link #PENDING_COUNT_INTERVAL}: the count is one more store operation. */
    private void countPending() {
        if (System.nanoTime() - lastCountNanos < PENDING_COUNT_INTERVAL.toNanos()) {
            return;
        }
        long waiting = 0;
        for (String collection : properties.collections()) {
            waiting += mongo.count(Query.query(Criteria.where("outbox.0").exists(true)), collection)
                    .block(STORE_TIMEOUT);
        }
        pending.set(waiting);
        lastCountNanos = System.nanoTime();
    }

    private int relayBatch(String collection, long deadlineNanos) {
        Query withPendingEvents = Query.query(Criteria.where("outbox.0").exists(true)).limit(properties.batchSize());
        List<Document> documents = mongo.find(withPendingEvents, Document.class, collection)
                .collectList()
                .block(STORE_TIMEOUT);
        for (Document document : documents) {
            for (Document pending : document.getList("outbox", Document.class)) {
                if (System.nanoTime() >= deadlineNanos) {
                    return 0;
                }
                publish(pending, deadlineNanos);
                Update markSent = new Update().pull("outbox", new Document("eventId", pending.getString("eventId")));
                mongo.updateFirst(Query.query(Criteria.where("_id").is(document.get("_id"))), markSent, collection)
                        .block(STORE_TIMEOUT);
                published.increment();
            }
        }
        return documents.size();
    }

    private void publish(Document pending, long deadlineNanos) {
        // Bytes for key and value: the same producer settings then also serve the binder's dead-letter sends.
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(pending.getString("topic"),
                pending.getString("key").getBytes(StandardCharsets.UTF_8),
                pending.getString("payload").getBytes(StandardCharsets.UTF_8));
        record.headers().add("content-type", CloudEvent.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        try {
            long waitNanos = deadlineNanos == NO_DEADLINE ? SEND_TIMEOUT.toNanos()
                    : Math.min(SEND_TIMEOUT.toNanos(), Math.max(0, deadlineNanos - System.nanoTime()));
            kafka.send(record).get(waitNanos, TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing", ex);
        }
        catch (ExecutionException | TimeoutException ex) {
            throw new IllegalStateException("Kafka did not acknowledge " + pending.getString("eventId") + ": "
                    + ex.getMessage(), ex);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "outbox-relay");
            thread.setDaemon(true);
            return thread;
        });
        long interval = properties.pollInterval().toMillis();
        executor.scheduleWithFixedDelay(this::relayPending, 0, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        ScheduledExecutorService current = executor;
        executor = null;
        if (current == null) {
            return;
        }
        // Let a run in progress finish, so an acknowledged event is also marked sent before shutdown.
        current.shutdown();
        try {
            if (!current.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                current.shutdownNow();
                return;
            }
        }
        catch (InterruptedException ex) {
            current.shutdownNow();
            Thread.currentThread().interrupt();
            return;
        }
        // A last pass: what the last requests and consumed events wrote goes out now, not at the next start (or
        // when another instance's relay finds it). While Kafka is unreachable it waits in the store, as always, and
        // the pass gives up at its deadline so that stopping stays quick.
        relayPending(System.nanoTime() + STOP_WAIT.toNanos());
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }

    /**
     * Stops last: after the web server's graceful shutdown ({@code DEFAULT_PHASE - 1024}), the web server
     * ({@code - 2048}) and the consumers (Spring Cloud Stream 5's input bindings, {@code - 3000}, and
     * {@code BindingShutdown} just before them) have finished what they had in hand, so that its last pass publishes
     * the events those wrote. The Kafka producer and the Mongo client close after every lifecycle phase.
     */
    @Override
    public int getPhase() {
        return PHASE;
    }
}
