package org.city311.metrics.servicelevel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import org.apache.kafka.common.TopicPartition;

/**
 * A rebuild's entries not yet written, by request, kept apart by whether the request is closed: a closed request's
 * ledger is complete and may be written at once ({@link #takeClosed}); when too many entries are held, the open
 * requests quiet longest are written after the closed ones ({@link #takeUntil}).
 * <p>
 * Why: a request is closed a week or so after it is resolved, and most get no event after that. Held by how long they
 * had been quiet alone, the ledgers of requests just closed were kept longest, and those of requests resolved days
 * ago and still to be closed were written first, to be written a second time for their closing: a year at full
 * scale wrote 1.7 ledgers a request. An entry that still comes for a request already written (a late survey, a
 * reopening) is written to its ledger again, as before.
 */
final class HeldLedgers {

    /** A request's entries not yet written, and the first offset of each partition they came from. */
    static final class Held {
        final int partition;
        final List<LedgerEntry> entries = new ArrayList<>(4);
        final Map<TopicPartition, Long> firstOffsets = new HashMap<>(4);

        Held(int partition) {
            this.partition = partition;
        }

        boolean has(LedgerEntry entry) {
            for (LedgerEntry mine : entries) {
                if (mine.key().equals(entry.key())) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Open requests, least recently added to first. */
    private final LinkedHashMap<String, Held> open = new LinkedHashMap<>(16, 0.75f, true);
    /** Closed requests, in the order they closed. */
    private final LinkedHashMap<String, Held> closed = new LinkedHashMap<>();
    private int entries;

    /** The request's entries held, or null. */
    Held get(String requestId) {
        Held request = open.get(requestId);
        return request != null ? request : closed.get(requestId);
    }

    /** Holds an entry with its request's (the caller has checked it is not held already). */
    void add(String requestId, int partition, LedgerEntry entry, TopicPartition from, long offset) {
        Held request = get(requestId);
        if (request == null) {
            request = new Held(partition);
            open.put(requestId, request);
        }
        request.entries.add(entry);
        request.firstOffsets.putIfAbsent(from, offset);
        entries++;
        if (entry.kind() == LedgerEntry.Kind.CLOSED && open.remove(requestId) != null) {
            closed.put(requestId, request);
        }
        else if (entry.kind() == LedgerEntry.Kind.REOPENED && closed.remove(requestId) != null) {
            open.put(requestId, request);
        }
    }

    /** How many entries are held. */
    int entries() {
        return entries;
    }

    /** How many closed requests are held. */
    int closedLedgers() {
        return closed.size();
    }

    /** Removes every closed request, in the order they closed, and hands each over. */
    void takeClosed(BiConsumer<String, Held> taken) {
        takeUntil(closed.entrySet().iterator(), -1, taken);
    }

    /** Removes ledgers until no more than {@code target} entries are held, closed ones first, and hands each over. */
    void takeUntil(int target, BiConsumer<String, Held> taken) {
        takeUntil(closed.entrySet().iterator(), target, taken);
        takeUntil(open.entrySet().iterator(), target, taken);
    }

    private void takeUntil(Iterator<Map.Entry<String, Held>> requests, int target, BiConsumer<String, Held> taken) {
        while (requests.hasNext() && entries > target) {
            Map.Entry<String, Held> request = requests.next();
            requests.remove();
            entries -= request.getValue().entries.size();
            taken.accept(request.getKey(), request.getValue());
        }
    }

    /** Every request held, open and closed. */
    Stream<Held> all() {
        return Stream.concat(open.values().stream(), closed.values().stream());
    }

    void clear() {
        open.clear();
        closed.clear();
        entries = 0;
    }
}
