package org.city311.metrics.scorecard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;

/**
 * Answers computed at most {@code freshness} ago (by the services' clock), per key: a page load reads what was
 * computed, not the store. Callers asking for the same key while it is computed share that one computation; a
 * failed one is not kept. An answer asked for in the last quarter of its freshness is computed again in the
 * background while it is still given, so that pages asked for often never wait for a computation (one that took a
 * second and more over a year of ledgers held every page asking meanwhile); a failed refresh leaves the answer as
 * it was, to be tried again at the next ask. At most {@code capacity} keys are kept, the least recently asked for
 * leaving first.
 */
public final class FreshCache<K, V> {

    private final Duration freshness;
    private final int capacity;
    private final Clock clock;
    private final Map<K, Entry<V>> entries = new LinkedHashMap<>(16, 0.75f, true);

    /** An answer, computed from {@code computedAt}; {@code done} once it is there, {@code refreshing} meanwhile. */
    private static final class Entry<V> {
        final Instant computedAt;
        final Mono<V> value;
        volatile boolean done;
        final AtomicBoolean refreshing = new AtomicBoolean();

        Entry(Instant computedAt, Mono<V> value) {
            this.computedAt = computedAt;
            this.value = value;
        }
    }

    public FreshCache(Duration freshness, int capacity, Clock clock) {
        if (freshness.isNegative() || capacity < 1) {
            throw new IllegalArgumentException("a freshness of zero or more and room for at least one answer");
        }
        this.freshness = freshness;
        this.capacity = capacity;
        this.clock = clock;
    }

    /** The answer for {@code key} computed at most {@code freshness} ago, else {@code compute}'s, kept. */
    public Mono<V> get(K key, Supplier<Mono<V>> compute) {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            Entry<V> toRefresh = null;
            try {
                synchronized (entries) {
                    Entry<V> kept = entries.get(key);
                    if (kept != null && !now.isAfter(kept.computedAt.plus(freshness))) {
                        if (kept.done && now.isAfter(kept.computedAt.plus(freshness.multipliedBy(3).dividedBy(4)))
                                && kept.refreshing.compareAndSet(false, true)) {
                            toRefresh = kept;
                        }
                        return kept.value;
                    }
                    Entry<V>[] self = newEntryHolder();
                    Mono<V> value = compute.get()
                            .doOnSuccess(computed -> self[0].done = true)
                            .doOnError(failure -> forget(key, self[0]))
                            .cache();
                    self[0] = new Entry<>(now, value);
                    entries.put(key, self[0]);
                    Iterator<Map.Entry<K, Entry<V>>> oldest = entries.entrySet().iterator();
                    while (entries.size() > capacity && oldest.hasNext()) {
                        oldest.next();
                        oldest.remove();
                    }
                    return value;
                }
            }
            finally {
                // started outside the lock: subscribing runs the computation's first steps on this thread
                if (toRefresh != null) {
                    refresh(key, toRefresh, now, compute);
                }
            }
        });
    }

    /** Computes the answer again, and keeps it in place of the one given meanwhile once it is there. */
    private void refresh(K key, Entry<V> kept, Instant now, Supplier<Mono<V>> compute) {
        compute.get().subscribe(computed -> {
            Entry<V> fresh = new Entry<>(now, Mono.just(computed));
            fresh.done = true;
            synchronized (entries) {
                entries.replace(key, kept, fresh);
            }
        }, failure -> kept.refreshing.set(false), () -> kept.refreshing.set(false));
    }

    /** How many answers are kept (for tests). */
    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    private void forget(K key, Entry<V> entry) {
        synchronized (entries) {
            entries.remove(key, entry);
        }
    }

    @SuppressWarnings("unchecked")
    private static <V> Entry<V>[] newEntryHolder() {
        return (Entry<V>[]) new Entry<?>[1];
    }
}
