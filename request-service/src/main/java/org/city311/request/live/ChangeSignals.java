package org.city311.request.live;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;

import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.data.mongodb.core.BulkOperations.BulkMode;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Which requests changed when, for live updates on every instance: a small collection ({@value #COLLECTION}) of one
 * document per second of the writer's clock ({@code _id}: the epoch second), listing the ids of the requests written
 * in it. Each instance adds the requests that its own writes changed ({@link RequestWrites}), a tenth of a second
 * after the write, in one bulk write for all that came meanwhile (nothing while nothing is written); a reader reads
 * the seconds it needs by {@code _id} ({@link #changed(long, long)}), then those requests by {@code _id}. So another
 * instance's writes reach a stream here too, and no read walks the requests, however many are stored.
 * <p>
 * A writer removes the seconds it wrote once they are {@link #KEEP} old (at a later write, a minute's worth at a
 * time), and the seconds older than that are removed at start (those of an instance that stopped): the collection
 * holds minutes, not history.
 * <p>
 * <b>Only while someone listens.</b> An instance with a stream open keeps a marker ({@code _id} {@value #MARKER},
 * {@code until}) a minute ahead ({@link #listening()}: a write every half minute). Writers record only while it is
 * ahead: they learn it by reading the marker by {@code _id}, when the {@code until} they know has passed, at most
 * every {@link #CHECK}. So with no stream open anywhere (a night, a bench) writes cost nothing more. An instance that
 * finds no one was listening before it takes the signals as complete only {@link #CHECK} (and a second) later, once
 * every writer has had the time to notice; its streams read by time until then.
 */
@Component
class ChangeSignals {

    private static final Logger log = LoggerFactory.getLogger(ChangeSignals.class);
    static final String COLLECTION = "live_changes";
    /** Named by a write that did not name its requests by id: readers search by time instead. */
    static final String ANY = "*";
    /** How long the seconds are kept: a stream further behind reads the requests by time. */
    static final Duration KEEP = Duration.ofMinutes(10);
    static final Duration FLUSH_DELAY = Duration.ofMillis(100);
    private static final Duration RETRY = Duration.ofSeconds(1);
    static final String MARKER = "listening";
    /** How far ahead a listener keeps the marker; it moves it on once less than half is left. */
    static final Duration LISTEN = Duration.ofMinutes(1);
    /** How often at most a writer that knows of no listener reads the marker. */
    static final Duration CHECK = Duration.ofSeconds(5);
    /** Expired seconds are removed once this many are due, in one statement. */
    private static final int REMOVE_AT_ONCE = 60;

    private final ReactiveMongoTemplate mongo;
    private final Clock clock;
    /** Epoch second → requests written in it, not yet recorded. */
    private final Map<Long, Set<String>> pending = new ConcurrentHashMap<>();
    private final AtomicBoolean flushQueued = new AtomicBoolean();
    /** The seconds this instance recorded, oldest first: removed once {@link #KEEP} old. */
    private final Deque<Long> recorded = new ConcurrentLinkedDeque<>();
    /** Until when someone listens, as last read or written here. */
    private volatile Instant listenedUntil = Instant.EPOCH;
    /** When this instance last read the marker as a writer; null: never. */
    private volatile Instant checkedAt;
    /** This instance's own marker: until when it keeps it, and from when its signals are complete. */
    private volatile Instant markedUntil = Instant.EPOCH;
    private volatile Instant completeSince = Instant.MAX;

    ChangeSignals(ReactiveMongoTemplate mongo, Clock clock, RequestWrites writes) {
        this.mongo = mongo;
        this.clock = clock;
        mongo.remove(Query.query(Criteria.where("_id").lt(clock.instant().minus(KEEP).getEpochSecond())), COLLECTION)
                .onErrorResume(error -> {
                    log.warn("Could not remove old live-update signals: {}", error.toString());
                    return Mono.empty();
                })
                .block(Duration.ofMinutes(1));
        writes.onWritten(this::changed);
    }

    /** These requests were just written: recorded under the current second, soon. */
    void changed(Set<String> requestIds) {
        pending.computeIfAbsent(clock.instant().getEpochSecond(), second -> ConcurrentHashMap.newKeySet())
                .addAll(requestIds);
        queueFlush(FLUSH_DELAY);
    }

    private void queueFlush(Duration delay) {
        if (flushQueued.compareAndSet(false, true)) {
            Mono.delay(delay).then(Mono.defer(this::flush)).subscribe(null, error -> {
                log.warn("Could not record which requests changed ({}); retrying", error.toString());
                queueFlush(RETRY);
            });
        }
    }

    private Mono<Void> flush() {
        flushQueued.set(false); // what is written from here on queues another flush
        Map<Long, Set<String>> taken = new TreeMap<>();
        for (Long second : List.copyOf(pending.keySet())) {
            Set<String> ids = pending.remove(second);
            if (ids != null) {
                taken.put(second, ids);
            }
        }
        if (taken.isEmpty()) {
            return Mono.empty();
        }
        return someoneListens().flatMap(listens -> listens ? record(taken) : Mono.<Void>empty())
                .onErrorResume(error -> {
                    // again at the next flush: adding to a set is idempotent (two instances that both made a
                    // second's document at once: one of them finds it made)
                    taken.forEach((second, ids) -> pending.computeIfAbsent(second,
                            key -> ConcurrentHashMap.newKeySet()).addAll(ids));
                    return Mono.error(error);
                });
    }

    /** Whether a stream is open anywhere: known, or read from the marker (at most every {@link #CHECK}). */
    private Mono<Boolean> someoneListens() {
        Instant now = clock.instant();
        if (now.isBefore(listenedUntil)) {
            return Mono.just(true);
        }
        Instant lastCheck = checkedAt;
        if (lastCheck != null && now.isBefore(lastCheck.plus(CHECK))) {
            return Mono.just(false);
        }
        return mongo.findById(MARKER, Document.class, COLLECTION).map(marker -> {
            Instant until = marker.getDate("until").toInstant();
            listenedUntil = until.isAfter(listenedUntil) ? until : listenedUntil;
            return now.isBefore(until);
        }).defaultIfEmpty(false).doOnSuccess(listens -> checkedAt = now);
    }

    /**
     * Streams are open here: keeps the marker ahead, so that every instance records its writes. Returns from when
     * the signals are complete (every writer records); before it, read by time.
     */
    Mono<Instant> listening() {
        Instant now = clock.instant();
        if (now.isBefore(markedUntil.minus(LISTEN.dividedBy(2)))) {
            return Mono.just(completeSince);
        }
        Instant until = now.plus(LISTEN).truncatedTo(ChronoUnit.MILLIS);
        return mongo.findAndModify(Query.query(Criteria.where("_id").is(MARKER)),
                new Update().max("until", Date.from(until)),
                FindAndModifyOptions.options().upsert(true).returnNew(false),
                Document.class, COLLECTION)
                .map(before -> Optional.ofNullable(before.getDate("until")).map(Date::toInstant))
                .defaultIfEmpty(Optional.empty())
                .map(before -> {
                    if (before.isEmpty() || !before.get().isAfter(now)) {
                        // no one listened: writers that found so read the marker again within CHECK
                        completeSince = now.plus(CHECK).plusSeconds(1);
                    }
                    else if (completeSince.equals(Instant.MAX)) {
                        // another instance listens: complete from now on, not known before
                        completeSince = now;
                    }
                    markedUntil = until;
                    listenedUntil = until.isAfter(listenedUntil) ? until : listenedUntil;
                    return completeSince;
                });
    }

    private Mono<Void> record(Map<Long, Set<String>> taken) {
        var bulk = mongo.bulkOps(BulkMode.UNORDERED, COLLECTION);
        taken.forEach((second, ids) -> bulk.upsert(Query.query(Criteria.where("_id").is(second)),
                new Update().addToSet("ids").each(ids.toArray())));
        long oldest = clock.instant().minus(KEEP).getEpochSecond();
        List<Long> expired = new ArrayList<>();
        if (!recorded.isEmpty() && recorded.peekFirst() < oldest - REMOVE_AT_ONCE) {
            while (!recorded.isEmpty() && recorded.peekFirst() < oldest) {
                expired.add(recorded.pollFirst());
            }
        }
        if (!expired.isEmpty()) {
            bulk.remove(Query.query(Criteria.where("_id").in(expired)));
        }
        return bulk.execute().doOnSuccess(done -> taken.keySet().forEach(second -> {
            if (recorded.isEmpty() || recorded.peekLast() < second) {
                recorded.addLast(second);
            }
        })).onErrorResume(error -> {
            for (int i = expired.size() - 1; i >= 0; i--) {
                recorded.addFirst(expired.get(i));
            }
            return Mono.error(error);
        }).then();
    }

    /**
     * The requests changed from second {@code first} to second {@code last} (epoch seconds, both included), read by
     * {@code _id}; {@link #ANY} among them when some write named none.
     */
    Mono<Set<String>> changed(long first, long last) {
        List<Long> seconds = new ArrayList<>();
        for (long second = first; second <= last; second++) {
            seconds.add(second);
        }
        return mongo.find(Query.query(Criteria.where("_id").in(seconds)), Document.class, COLLECTION)
                .<Set<String>>collect(LinkedHashSet::new, (ids, document) -> ids.addAll(document.getList("ids",
                        String.class, List.of())));
    }
}
