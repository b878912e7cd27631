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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
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
 * <b>When it runs.</b> A write that leaves events wakes it with its document's id. When the write knows the events
 * it left are the document's only ones (an insert, a document created by an upsert, an update that pushed one event
 * on a document whose earlier events this relay was told of), it hands them over too
 * ({@link #wakeUp(String, Object, List)}) and the relay publishes them without reading the document; otherwise the
 * relay reads just the documents it was woken for, by {@code _id} (a unique index on any MongoDB, the local store
 * included). A pass runs {@code city311.outbox.gather} (50 ms) after the first wake-up and serves every write that
 * woke it meanwhile. With nothing written, it reads nothing: a <em>sweep</em> through every collection
 * ({@code outbox.0} not null) runs only at start, at stop, every {@code city311.outbox.sweep-interval} (minutes)
 * and after a {@link #wakeUp()} that names no document, for events that no write in this process announced (left by
 * a crashed instance, or another's).
 * <p>
 * <b>A pass</b> sends every event of its documents, one after the other from this one thread, without waiting for
 * each acknowledgement; then it waits for all of them. The events of one document share their key (the request id),
 * hence their partition, and the one idempotent producer keeps records sent in order to a partition in that order,
 * retries included. Two writes to one document that both hand their events over before a pass takes them are read
 * from the store instead, which holds them in their order. Of each document only the acknowledged <em>first</em>
 * events count as sent: when one fails, it and every later event of its document stay and go out again, after it,
 * at the next try. An event that failed is never lost: it waits in its document.
 * <p>
 * <b>Removal</b> of the acknowledged events from their documents (one {@code $pull} by event id per document, one
 * bulk write per collection) is gathered over {@code city311.outbox.remove-every} (1 s), across passes: until then
 * the relay remembers them as sent, so that a document read again meanwhile does not send them twice. A write's
 * hand-over that comes after a pass already read and sent its events from the document (it may even have removed
 * them) sends nothing either: every event acknowledged within the last 30 seconds is remembered by id. A sweep
 * removes what is acknowledged before it reads, and at stop everything acknowledged is removed.
 * <p>
 * It writes with Spring Kafka's template rather than a Spring Cloud Stream output binding: the record must go out
 * exactly as the contract says (structured CloudEvent, {@code content-type} header), and Spring Cloud Function's
 * own CloudEvents support would otherwise rewrite a message with that content type.
 * <p>
 * A crash between the acknowledgement and the removal publishes the event again after restart (the sweep at start):
 * delivery is at least once, and every consumer is idempotent. So is a write that another instance's relay publishes
 * while this one publishes the next write to the same document from its hand-over: each consumer orders a request's
 * events by their sequence, not by their arrival. While Kafka or MongoDB is down the relay backs off and retries, so
 * an accepted change waits in its document instead of being lost. At stop it makes a last pass.
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
    /**
     * How long an acknowledged event is remembered as sent: far longer than a write takes between its store
     * acknowledgement and its hand-over.
     */
    static final Duration RECENTLY = Duration.ofSeconds(30);
    /** See {@link #getPhase()}. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final ReactiveMongoTemplate mongo;
    private final KafkaTemplate<byte[], byte[]> kafka;
    private final OutboxProperties properties;
    private final Counter published;
    private final Counter failures;
    /** By collection: the documents a write announced, or whose events a pass could not publish yet. */
    private final Map<String, Set<Object>> waiting = new LinkedHashMap<>();
    /**
     * By collection: documents whose events the write that stored them handed over, in the order woken; each map is
     * guarded by itself.
     */
    private final Map<String, Map<Object, List<Outgoing>>> handed = new LinkedHashMap<>();
    /** By collection: the events Kafka acknowledged, by document, not yet removed from it (relay thread only). */
    private final Map<String, Map<Object, List<String>>> acknowledged = new LinkedHashMap<>();
    /**
     * Every event acknowledged within {@link #RECENTLY}, removed or not, with when (relay thread only, in the order
     * sent): a hand-over that comes after a pass read and sent its events from the document, and perhaps already
     * removed them, does not send them again.
     */
    private final LinkedHashMap<String, Long> recentlySent = new LinkedHashMap<>();
    /** By collection: documents with events that the last failed sweep counted beyond those in {@link #waiting}. */
    private final Map<String, AtomicLong> untracked = new LinkedHashMap<>();
    private final AtomicBoolean sweepDue = new AtomicBoolean(true);
    private final AtomicBoolean passQueued = new AtomicBoolean();
    private final AtomicBoolean removalQueued = new AtomicBoolean();
    /** When acknowledged events were last removed: the next removal is due {@code remove-every} later. */
    private long removedAtNanos = System.nanoTime();
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
            handed.put(collection, new LinkedHashMap<>());
            acknowledged.put(collection, new LinkedHashMap<>());
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

    /**
     * A write left these events, and no others, in document {@code id} of {@code collection} (it inserted the
     * document, or it knows that any events before them were announced to this relay): they go out without reading
     * the document. Should an earlier write's events to the same document still wait, the document is read
     * instead, which holds both in their order. Call it once the write is acknowledged.
     */
    public void wakeUp(String collection, Object id, List<PendingEvent> events) {
        Map<Object, List<Outgoing>> ofCollection = handed.get(collection);
        if (ofCollection == null || id == null || events == null || events.isEmpty()) {
            wakeUp(collection, id);
            return;
        }
        boolean full = pendingTracked() >= MAX_TRACKED;
        boolean readInstead;
        synchronized (ofCollection) {
            readInstead = full || ofCollection.remove(id) != null || waiting.get(collection).contains(id);
            if (!readInstead) {
                ofCollection.put(id, events.stream().map(Outgoing::of).toList());
            }
        }
        if (readInstead) {
            track(collection, id);
        }
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
                    removeAcknowledged();
                    sweep(deadlineNanos);
                }
                catch (RuntimeException ex) {
                    sweepDue.set(true);
                    throw ex;
                }
            }
            if (deadlineNanos != NO_DEADLINE || removalDue()) {
                removeAcknowledged();
            }
            else {
                scheduleRemoval();
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

    /**
     * The documents that writes announced: those whose events were handed over, as handed; the others read by
     * {@code _id} alone, which a unique index serves on any store.
     */
    private void relayWoken(String collection, long deadlineNanos) {
        Set<Object> ids = waiting.get(collection);
        Map<Object, List<Outgoing>> ofCollection = handed.get(collection);
        Map<Object, List<Outgoing>> given;
        // Taken out before the documents are read: a write that lands after the read wakes the relay again.
        List<Object> taken = new ArrayList<>();
        synchronized (ofCollection) {
            for (Iterator<Object> it = ids.iterator(); it.hasNext();) {
                taken.add(it.next());
                it.remove();
            }
            given = new LinkedHashMap<>(ofCollection);
            ofCollection.clear();
        }
        // a document also to be read (events left by a failed pass): the read has all of them, in order
        taken.forEach(given::remove);
        Set<Object> unfinished = new LinkedHashSet<>(taken);
        unfinished.addAll(given.keySet());
        try {
            for (int from = 0; from < taken.size() && System.nanoTime() < deadlineNanos;
                    from += properties.batchSize()) {
                List<Object> chunk = taken.subList(from, Math.min(taken.size(), from + properties.batchSize()));
                // Only _id in the filter: mongo-java-server uses an index only when the filter names its keys alone.
                Query byId = Query.query(Criteria.where("_id").in(chunk));
                byId.fields().include("outbox");
                Outcome outcome = relay(collection, outgoing(collection, mongo.find(byId, Document.class, collection)
                        .collectList().block(STORE_TIMEOUT)), deadlineNanos);
                chunk.forEach(unfinished::remove);
                unfinished.addAll(outcome.left());
                outcome.throwIfFailed();
            }
            if (!given.isEmpty() && System.nanoTime() < deadlineNanos) {
                // less what a read of the document sent already: its write committed before that read, and handed
                // its events over only after the read's pass had taken the hand-overs
                Outcome outcome = relay(collection, unsent(given), deadlineNanos);
                given.keySet().forEach(unfinished::remove);
                unfinished.addAll(outcome.left());
                outcome.throwIfFailed();
            }
        }
        finally {
            // what is not sent is read from the store next time (a handed-over event too: it may no longer be first)
            ids.addAll(unfinished);
        }
    }

    /** Handed-over events, less those sent recently (by a pass that read them from the document). */
    private Map<Object, List<Outgoing>> unsent(Map<Object, List<Outgoing>> given) {
        forgetOlderThan(RECENTLY);
        if (recentlySent.isEmpty()) {
            return given;
        }
        Map<Object, List<Outgoing>> unsent = new LinkedHashMap<>();
        given.forEach((id, events) -> unsent.put(id, events.stream()
                .filter(event -> !recentlySent.containsKey(event.eventId())).toList()));
        return unsent;
    }

    private void forgetOlderThan(Duration age) {
        long now = System.nanoTime();
        for (Iterator<Long> sentAt = recentlySent.values().iterator(); sentAt.hasNext();) {
            if (now - sentAt.next() < age.toNanos() && recentlySent.size() <= MAX_TRACKED) {
                break; // the rest were sent later
            }
            sentAt.remove();
        }
    }

    /** The events of documents as read, less those acknowledged and not yet removed. */
    private Map<Object, List<Outgoing>> outgoing(String collection, List<Document> documents) {
        Map<Object, List<String>> sent = acknowledged.get(collection);
        Map<Object, List<Outgoing>> outgoing = new LinkedHashMap<>();
        for (Document document : documents) {
            List<String> skipped = sent.getOrDefault(document.get("_id"), List.of());
            outgoing.put(document.get("_id"), document.getList("outbox", Document.class, List.of()).stream()
                    .filter(event -> !skipped.contains(event.getString("eventId"))).map(Outgoing::of).toList());
        }
        return outgoing;
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
                Outcome outcome = relay(collection, outgoing(collection, documents), deadlineNanos);
                forgetHanded(collection);
                // removed before the next read, which would find them again otherwise
                removeAcknowledged();
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

    /**
     * Sends every event of these documents, then waits for the acknowledgements; the acknowledged ones are removed
     * later ({@link #removeAcknowledged()}).
     */
    private Outcome relay(String collection, Map<Object, List<Outgoing>> documents, long deadlineNanos) {
        Map<Object, List<Sent>> sent = new LinkedHashMap<>();
        String failure = null;
        for (Map.Entry<Object, List<Outgoing>> document : documents.entrySet()) {
            List<Outgoing> events = document.getValue();
            if (events.isEmpty()) {
                continue;
            }
            List<Sent> ofDocument = new ArrayList<>(events.size());
            for (Outgoing event : events) {
                CompletableFuture<?> acknowledgement = null;
                if (failure == null && System.nanoTime() < deadlineNanos) {
                    try {
                        acknowledgement = kafka.send(event.record());
                    }
                    catch (RuntimeException ex) {
                        // (no metadata within max.block.ms: Kafka is unreachable) the rest waits for the next try
                        failure = "Kafka did not take " + event.eventId() + ": " + ex.getMessage();
                    }
                }
                ofDocument.add(new Sent(event.eventId(), acknowledgement));
            }
            sent.put(document.getKey(), ofDocument);
        }
        if (sent.isEmpty()) {
            return new Outcome(0, List.of(), failure);
        }
        long waitUntil = Math.min(deadlineNanos, System.nanoTime() + SEND_TIMEOUT.toNanos());
        Map<Object, List<String>> toRemove = acknowledged.get(collection);
        int published = 0;
        List<Object> left = new ArrayList<>();
        for (Map.Entry<Object, List<Sent>> document : sent.entrySet()) {
            int acknowledgedHere = 0;
            for (Sent event : document.getValue()) {
                if (event.acknowledgement() == null) {
                    break;
                }
                String notAcknowledged = await(event, waitUntil);
                if (notAcknowledged != null) {
                    failure = failure == null ? notAcknowledged : failure;
                    break; // it and every later event of the document stay, and go out again after it
                }
                toRemove.computeIfAbsent(document.getKey(), id -> new ArrayList<>()).add(event.eventId());
                recentlySent.put(event.eventId(), System.nanoTime());
                acknowledgedHere++;
            }
            published += acknowledgedHere;
            if (acknowledgedHere < document.getValue().size()) {
                left.add(document.getKey());
            }
        }
        this.published.increment(published);
        if (properties.removeEvery().isZero()) {
            removeAcknowledged();
        }
        return new Outcome(published, left, failure);
    }

    /** Whether acknowledged events have waited {@code remove-every} for their removal, or fill a batch. */
    private boolean removalDue() {
        long documents = 0;
        for (Map<Object, List<String>> ofCollection : acknowledged.values()) {
            documents += ofCollection.size();
        }
        return documents > 0 && (documents >= properties.batchSize()
                || System.nanoTime() - removedAtNanos >= properties.removeEvery().toNanos());
    }

    /** Once acknowledged events wait for their removal: a run when it is due, should no pass come before. */
    private void scheduleRemoval() {
        ScheduledExecutorService current = executor;
        boolean waitingRemoval = acknowledged.values().stream().anyMatch(ofCollection -> !ofCollection.isEmpty());
        if (current != null && waitingRemoval && removalQueued.compareAndSet(false, true)) {
            long delay = Math.max(0, properties.removeEvery().toNanos() - (System.nanoTime() - removedAtNanos));
            try {
                current.schedule(() -> {
                    removalQueued.set(false);
                    relayPending();
                }, delay, TimeUnit.NANOSECONDS);
            }
            catch (RejectedExecutionException stopping) {
                // stopping: the last pass removes them
                removalQueued.set(false);
            }
        }
    }

    /**
     * Removes every acknowledged event from its document: one bulk write per collection and batch of documents
     * ({@code $pull} by event id). What a failed write leaves is removed by the next.
     */
    private void removeAcknowledged() {
        removedAtNanos = System.nanoTime();
        for (Map.Entry<String, Map<Object, List<String>>> ofCollection : acknowledged.entrySet()) {
            Map<Object, List<String>> sent = ofCollection.getValue();
            while (!sent.isEmpty()) {
                ReactiveBulkOperations removals = mongo.bulkOps(BulkMode.UNORDERED, ofCollection.getKey());
                List<Object> batch = new ArrayList<>();
                for (Map.Entry<Object, List<String>> document : sent.entrySet()) {
                    if (batch.size() == properties.batchSize()) {
                        break;
                    }
                    removals.updateOne(Query.query(Criteria.where("_id").is(document.getKey())), new Update()
                            .pull("outbox", new Document("eventId", new Document("$in", document.getValue()))));
                    batch.add(document.getKey());
                }
                removals.execute().block(STORE_TIMEOUT);
                batch.forEach(sent::remove);
            }
        }
    }

    /** What a sweep sent of documents whose events a write handed over meanwhile: not sent again from the hand. */
    private void forgetHanded(String collection) {
        Map<Object, List<String>> sent = acknowledged.get(collection);
        Map<Object, List<Outgoing>> ofCollection = handed.get(collection);
        synchronized (ofCollection) {
            sent.forEach((id, eventIds) -> ofCollection.computeIfPresent(id, (same, events) -> {
                List<Outgoing> unsent = events.stream().filter(event -> !eventIds.contains(event.eventId()))
                        .toList();
                return unsent.isEmpty() ? null : unsent;
            }));
        }
    }

    /** An event as it goes on the wire: from a document read, or handed over by the write that stored it. */
    private record Outgoing(String eventId, String topic, String key, String payload) {

        static Outgoing of(Document pending) {
            return new Outgoing(pending.getString("eventId"), pending.getString("topic"), pending.getString("key"),
                    pending.getString("payload"));
        }

        static Outgoing of(PendingEvent pending) {
            return new Outgoing(pending.eventId(), pending.topic(), pending.key(), pending.payload());
        }

        ProducerRecord<byte[], byte[]> record() {
            // Bytes for key and value: the same producer settings then also serve the binder's dead-letter sends.
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
                    payload.getBytes(StandardCharsets.UTF_8));
            record.headers().add("content-type",
                    CloudEvent.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
            return record;
        }
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
        for (Map<Object, List<Outgoing>> ofCollection : handed.values()) {
            synchronized (ofCollection) {
                count += ofCollection.size();
            }
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
        ScheduledThreadPoolExecutor started = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "outbox-relay");
            thread.setDaemon(true);
            return thread;
        });
        // at stop, a pass waiting for its time (a retry after a pause, a removal) gives way to the last pass
        started.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
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
