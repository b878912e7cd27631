package org.city311.platform.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.city311.platform.events.CloudEvent;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.mongodb.core.BulkOperations.BulkMode;
import org.springframework.data.mongodb.core.ReactiveBulkOperations;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Publishes the events that state changes left in their documents' {@code outbox} arrays, in order, and removes
 * them once Kafka has acknowledged them ({@code acks=all}, idempotent producer).
 * <p>
 * <b>When it runs.</b> A write that leaves events calls {@link #wakeUp(String, Object)} with its document's id; the
 * relay then reads just those documents by {@code _id} (a unique index on any MongoDB, the local store included) and
 * publishes them {@code city311.outbox.gather} (50 ms) later, with those of every write that woke it meanwhile: under
 * load a pass serves many writes for its two store commands. Wake-ups that arrive while a pass runs are served
 * together by the next one. With nothing written, it reads nothing: a <em>sweep</em> through every collection
 * ({@code outbox.0} not null) runs only at start, at stop, every {@code city311.outbox.sweep-interval} (minutes)
 * and after a {@link #wakeUp()} that names no document, for events that no write in this process announced (left by
 * a crashed instance, or another's).
 * <p>
 * <b>A pass</b> sends every event of the documents it read, one after the other from this one thread, without
 * waiting for each acknowledgement; then it waits for all of them, and removes the acknowledged ones with one bulk
 * write per collection (one {@code $pull} by event id per document). The events of one document share their key
 * (the request id), hence their partition, and the one idempotent producer keeps records sent in order to a
 * partition in that order, retries included. Of each document only the acknowledged <em>first</em> events are
 * removed: when one fails, it and every later event of its document stay and go out again, after it, at the next
 * try. An event that failed is never lost: it waits in its document.
 * <p>
 * It writes with Spring Kafka's template rather than a Spring Cloud Stream output binding: the record must go out
 * exactly as the contract says (structured CloudEvent, {@code content-type} header), and Spring Cloud Function's
 * own CloudEvents support would otherwise rewrite a message with that content type.
 * <p>
 * A crash between the acknowledgement and the removal publishes the event again after restart (the sweep at start):
 * delivery is at least once, and every consumer is idempotent. While Kafka or MongoDB is down the relay backs off and
 * retries, so an accepted change waits in its document instead of being lost. At stop it makes a last pass.
 */
public final class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
    /** At stop: how long a pass in progress may take to finish, and then how long the last pass may take. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(2);
    /** The pause after a failed pass is twice this at first, then doubles up to {@code max-backoff}. */
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    /**
     * Documents remembered as waiting. Beyond (a long Kafka outage under load), a wake-up asks for a sweep instead,
     * which finds them in the store.
     */
    static final int MAX_TRACKED = 100_000;
    private static final long NO_DEADLINE = Long.MAX_VALUE;
    /** See {@link #getPhase()}. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final ReactiveMongoTemplate mongo;
    private final KafkaTemplate<byte[], byte[]> kafka;
    private final OutboxProperties properties;
    private final Counter published;
    private final Counter failures;
    /** By collection: the documents a write announced, or whose events a pass could not publish yet. */
    private final Map<String, Set<Object>> waiting = new LinkedHashMap<>();
    /** By collection: documents with events that the last failed sweep counted beyond those in {@link #waiting}. */
    private final Map<String, AtomicLong> untracked = new LinkedHashMap<>();
    private final AtomicBoolean sweepDue = new AtomicBoolean(true);
    private final AtomicBoolean passQueued = new AtomicBoolean();
    private final AtomicLong passes = new AtomicLong();
    private final AtomicLong sweeps = new AtomicLong();
    private volatile ScheduledExecutorService executor;
    private volatile long pausedUntilNanos;
    private Duration backoff = FIRST_BACKOFF;

    public OutboxRelay(ReactiveMongoTemplate mongo, KafkaTemplate<byte[], byte[]> kafka, OutboxProperties properties,
            MeterRegistry meters) {
        this.mongo = mongo;
        this.kafka = kafka;
        this.properties = properties;
        for (String collection : properties.collections()) {
            waiting.put(collection, ConcurrentHashMap.newKeySet());
            untracked.put(collection, new AtomicLong());
        }
        this.published = Counter.builder("city311.outbox.published")
                .description("Events the outbox relay published to Kafka").register(meters);
        this.failures = Counter.builder("city311.outbox.publish.failures")
                .description("Failed attempts to publish pending events (Kafka or MongoDB unreachable)")
                .register(meters);
        Gauge.builder("city311.outbox.pending", this, OutboxRelay::pendingDocuments)
                .description("Documents with events waiting to be published: written and not yet published, or left "
                        + "by a failed pass (counted without reading the store)")
                .register(meters);
    }

    /**
     * A write left events in document {@code id} of {@code collection}: they go out now. Call it after every write
     * that adds events, once the write is acknowledged.
     */
    public void wakeUp(String collection, Object id) {
        track(collection, id);
        schedulePass();
    }

    /** The same for an entity type mapped to its collection (e.g. {@code wakeUp(WorkItem.class, id)}). */
    public void wakeUp(Class<?> entityType, Object id) {
        wakeUp(mongo.getCollectionName(entityType), id);
    }

    /** The same for the documents a batch of writes left events in: one pass serves them all. */
    public void wakeUp(String collection, Collection<?> ids) {
        ids.forEach(id -> track(collection, id));
        schedulePass();
    }

    /**
     * Some write left events, in documents it does not name: a sweep of every collection, soon. On the local store a
     * sweep reads each collection whole; name the documents instead ({@link #wakeUp(String, Object)}).
     */
    public void wakeUp() {
        sweepDue.set(true);
        schedulePass();
    }

    private void track(String collection, Object id) {
        Set<Object> ids = waiting.get(collection);
        if (ids == null) {
            log.warn("Woken for '{}', which city311.outbox.collections does not list: its events are not published",
                    collection);
        }
        else if (id == null || (pendingTracked() >= MAX_TRACKED && !ids.contains(id))) {
            sweepDue.set(true);
        }
        else {
            ids.add(id);
        }
    }

    private void schedulePass() {
        ScheduledExecutorService current = executor;
        if (current != null && passQueued.compareAndSet(false, true)) {
            try {
                // after the gathering time: the writes that wake it meanwhile are served by the same pass
                current.schedule(() -> {
                    passQueued.set(false);
                    relayPending();
                }, properties.gather().toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (RejectedExecutionException stopping) {
                // stopping: the last pass publishes what waits
                passQueued.set(false);
            }
        }
    }

    /** Publishes what it was told about, and sweeps if one is due; runs on the relay's own thread. */
    void relayPending() {
        relayPending(NO_DEADLINE);
    }

    /**
     * The same, giving up once {@code System.nanoTime()} passes the deadline ({@link #NO_DEADLINE}: never): what is
     * left waits in the store.
     */
    private void relayPending(long deadlineNanos) {
        if (System.nanoTime() < pausedUntilNanos) {
            return; // a retry is scheduled for the end of the pause
        }
        try {
            for (String collection : properties.collections()) {
                relayWoken(collection, deadlineNanos);
            }
            if (sweepDue.getAndSet(false)) {
                try {
                    sweep(deadlineNanos);
                }
                catch (RuntimeException ex) {
                    sweepDue.set(true);
                    throw ex;
                }
            }
            backoff = FIRST_BACKOFF;
            passes.incrementAndGet();
        }
        catch (RuntimeException ex) {
            failures.increment();
            backoff = min(backoff.multipliedBy(2), properties.maxBackoff());
            pausedUntilNanos = System.nanoTime() + backoff.toNanos();
            log.warn("Could not publish pending events ({}); retrying in {} ms", ex.getMessage(), backoff.toMillis());
            ScheduledExecutorService current = executor;
            if (current != null) {
                try {
                    current.schedule(() -> relayPending(), backoff.toMillis(), TimeUnit.MILLISECONDS);
                }
                catch (RejectedExecutionException stopping) {
                    // stopping: the events wait in the store
                }
            }
        }
    }

    /** The documents that writes announced: read by {@code _id} alone, which a unique index serves on any store. */
    private void relayWoken(String collection, long deadlineNanos) {
        Set<Object> ids = waiting.get(collection);
        if (ids.isEmpty()) {
            return;
        }
        // Taken out before the documents are read: a write that lands after the read wakes the relay again.
        List<Object> taken = new ArrayList<>();
        for (Iterator<Object> it = ids.iterator(); it.hasNext();) {
            taken.add(it.next());
            it.remove();
        }
        Set<Object> unfinished = new LinkedHashSet<>(taken);
        try {
            for (int from = 0; from < taken.size() && System.nanoTime() < deadlineNanos;
                    from += properties.batchSize()) {
                List<Object> chunk = taken.subList(from, Math.min(taken.size(), from + properties.batchSize()));
                // Only _id in the filter: mongo-java-server uses an index only when the filter names its keys alone.
                Query byId = Query.query(Criteria.where("_id").in(chunk));
                byId.fields().include("outbox");
                List<Document> documents = mongo.find(byId, Document.class, collection).collectList()
                        .block(STORE_TIMEOUT);
                Outcome outcome = relay(collection, documents, deadlineNanos);
                chunk.forEach(unfinished::remove);
                unfinished.addAll(outcome.left());
                outcome.throwIfFailed();
            }
        }
        finally {
            ids.addAll(unfinished);
        }
    }

    /**
     * Every collection's documents with events waiting, a batch at a time. On the local store each query reads the
     * collection whole; on MongoDB the services' index on {@code outbox.0} serves it ({@code $ne: null}, unlike
     * {@code $exists: true}, can use a non-sparse index's bounds).
     */
    private void sweep(long deadlineNanos) {
        for (String collection : properties.collections()) {
            while (System.nanoTime() < deadlineNanos) {
                Query withPendingEvents = Query.query(Criteria.where("outbox.0").ne(null))
                        .limit(properties.batchSize());
                withPendingEvents.fields().include("outbox");
                List<Document> documents = mongo.find(withPendingEvents, Document.class, collection)
                        .collectList().block(STORE_TIMEOUT);
                Outcome outcome = relay(collection, documents, deadlineNanos);
                if (outcome.failure() != null) {
                    // retried by id from now on; what did not fit in this batch is counted for the gauge
                    outcome.left().forEach(id -> track(collection, id));
                    countUntracked(collection);
                    outcome.throwIfFailed();
                }
                untracked.get(collection).set(0);
                if (documents.size() < properties.batchSize() || outcome.published() == 0) {
                    break; // all read (or, should a removal not take, no endless loop over the same batch)
                }
            }
        }
        if (System.nanoTime() < deadlineNanos) {
            sweeps.incrementAndGet();
        }
    }

    /** Only after a failed sweep, paced by the backoff: one count of what waits that no wake-up named. */
    private void countUntracked(String collection) {
        try {
            long all = mongo.count(Query.query(Criteria.where("outbox.0").ne(null)), collection).block(STORE_TIMEOUT);
            untracked.get(collection).set(Math.max(0, all - waiting.get(collection).size()));
        }
        catch (RuntimeException ex) {
            log.debug("Could not count pending events in {}: {}", collection, ex.getMessage());
        }
    }

    private record Sent(String eventId, CompletableFuture<?> acknowledgement) {
    }

    /**
     * @param published the events acknowledged and removed
     * @param left the documents with events still waiting
     * @param failure why some events were not acknowledged, or null
     */
    private record Outcome(int published, List<Object> left, String failure) {

        void throwIfFailed() {
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
        }
    }

    /** Sends every event of these documents, then waits for the acknowledgements, then removes in one bulk write. */
    private Outcome relay(String collection, List<Document> documents, long deadlineNanos) {
        Map<Object, List<Sent>> sent = new LinkedHashMap<>();
        String failure = null;
        for (Document document : documents) {
            List<Document> events = document.getList("outbox", Document.class, List.of());
            if (events.isEmpty()) {
                continue;
            }
            List<Sent> ofDocument = new ArrayList<>(events.size());
            for (Document event : events) {
                CompletableFuture<?> acknowledgement = null;
                if (failure == null && System.nanoTime() < deadlineNanos) {
                    try {
                        acknowledgement = kafka.send(record(event));
                    }
                    catch (RuntimeException ex) {
                        // (no metadata within max.block.ms: Kafka is unreachable) the rest waits for the next try
                        failure = "Kafka did not take " + event.getString("eventId") + ": " + ex.getMessage();
                    }
                }
                ofDocument.add(new Sent(event.getString("eventId"), acknowledgement));
            }
            sent.put(document.get("_id"), ofDocument);
        }
        if (sent.isEmpty()) {
            return new Outcome(0, List.of(), failure);
        }
        long waitUntil = Math.min(deadlineNanos, System.nanoTime() + SEND_TIMEOUT.toNanos());
        ReactiveBulkOperations removals = mongo.bulkOps(BulkMode.UNORDERED, collection);
        int removed = 0;
        List<Object> left = new ArrayList<>();
        for (Map.Entry<Object, List<Sent>> document : sent.entrySet()) {
            List<String> acknowledged = new ArrayList<>();
            for (Sent event : document.getValue()) {
                if (event.acknowledgement() == null) {
                    break;
                }
                String notAcknowledged = await(event, waitUntil);
                if (notAcknowledged != null) {
                    failure = failure == null ? notAcknowledged : failure;
                    break; // it and every later event of the document stay, and go out again after it
                }
                acknowledged.add(event.eventId());
            }
            if (!acknowledged.isEmpty()) {
                removals.updateOne(Query.query(Criteria.where("_id").is(document.getKey())), new Update()
                        .pull("outbox", new Document("eventId", new Document("$in", acknowledged))));
                removed += acknowledged.size();
            }
            if (acknowledged.size() < document.getValue().size()) {
                left.add(document.getKey());
            }
        }
        if (removed > 0) {
            removals.execute().block(STORE_TIMEOUT);
            published.increment(removed);
        }
        return new Outcome(removed, left, failure);
    }

    /** Null once Kafka acknowledged the event; else why not. */
    private static String await(Sent event, long waitUntilNanos) {
        try {
            event.acknowledgement().get(Math.max(0, waitUntilNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            return null;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return "interrupted while publishing " + event.eventId();
        }
        catch (ExecutionException | TimeoutException ex) {
            return "Kafka did not acknowledge " + event.eventId() + ": "
                    + (ex.getCause() != null ? ex.getCause().getMessage() : ex.getMessage());
        }
    }

    private static ProducerRecord<byte[], byte[]> record(Document pending) {
        // Bytes for key and value: the same producer settings then also serve the binder's dead-letter sends.
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(pending.getString("topic"),
                pending.getString("key").getBytes(StandardCharsets.UTF_8),
                pending.getString("payload").getBytes(StandardCharsets.UTF_8));
        record.headers().add("content-type", CloudEvent.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    /** Documents known to have events waiting: the gauge, read without asking the store. */
    private double pendingDocuments() {
        long count = pendingTracked();
        for (AtomicLong beyond : untracked.values()) {
            count += beyond.get();
        }
        return count;
    }

    private long pendingTracked() {
        long count = 0;
        for (Set<Object> ids : waiting.values()) {
            count += ids.size();
        }
        return count;
    }

    /** Passes that went through everything they were told about: tests wait on it instead of sleeping. */
    long completedPasses() {
        return passes.get();
    }

    /** Sweeps that went through every collection. */
    long completedSweeps() {
        return sweeps.get();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public void start() {
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "outbox-relay");
            thread.setDaemon(true);
            return thread;
        });
        executor = started;
        // the first sweep at once: what a crash or the last run left; wake-ups from before the start go out with it
        started.scheduleWithFixedDelay(() -> {
            sweepDue.set(true);
            relayPending();
        }, 0, properties.sweepInterval().toMillis(), TimeUnit.MILLISECONDS);
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
        // when another instance's relay finds it), and a last sweep for anything written without a wake-up. While
        // Kafka is unreachable it waits in the store, as always, and the pass gives up at its deadline so that
        // stopping stays quick.
        sweepDue.set(true);
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
