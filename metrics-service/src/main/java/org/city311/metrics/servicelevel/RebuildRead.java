package org.city311.metrics.servicelevel;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.city311.platform.events.CloudEvents;
import org.city311.platform.events.MalformedEventException;
import org.city311.platform.events.ReceivedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Flux;

/**
 * A rebuild's read of every topic from the beginning, before the binding carries on: what made a rebuild slow was
 * one ledger upsert per event (a request's events are days apart on the topics, so each poll's batch changed as many
 * ledgers as it had events), about seven writes of the same ledger per request.
 * <p>
 * Here a request's new entries are held in memory until it is closed or its ledger has been quiet longest among
 * those held ({@link HeldLedgers}; the topics are read side by side in event time, so a request's events come close
 * together), and only then written, a thousand ledgers to a bulk write, while the next events are read: about one
 * write per ledger. What is held is bounded ({@code held} entries); a ledger written early gets a second write for
 * the entries that come later, which {@code $addToSet} adds as ever.
 * <p>
 * The guarantee is the fold's: an entry is counted only once its ledger is stored, and the binding's offsets are
 * committed only up to where everything read is stored: the end offsets once it is all written, or, when a poison
 * event or a failing store stops this read, the first offset of each partition that still has an entry unwritten
 * (the poison's own, at the latest), from which the binding's consumer carries on as after any restart: what is
 * stored already is skipped as a redelivery, the poison goes to the dead-letter topic as it always does.
 */
final class RebuildRead {

    private static final Logger log = LoggerFactory.getLogger(RebuildRead.class);
    /** How far ahead in event time a partition may be read before it waits for the others. */
    private static final Duration AHEAD = Duration.ofHours(1);
    /** Ledgers a bulk write command takes at most (a few megabytes): one after the other. */
    private static final int BULK = 1_000;
    private static final int BULKS_IN_FLIGHT = 2;
    private static final Duration WRITE_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration REPORT_EVERY = Duration.ofSeconds(30);

    private final CloudEvents cloudEvents;
    private final LedgerEntries entries;
    private final ServiceLevels serviceLevels;
    private final LedgerStore store;
    private final Map<String, Object> consumerConfig;
    private final int maxHeld;

    /** Requests with entries not yet written. */
    private final HeldLedgers held = new HeldLedgers();
    /** Requests whose entries are being written, not yet counted. */
    private final Map<String, HeldLedgers.Held> inFlight = new HashMap<>();
    private CompletableFuture<?> writing = CompletableFuture.completedFuture(null);
    /** Parse and check a poll's events side by side, one thread a core, for the length of a read. */
    private ForkJoinPool decoders;
    private long read;
    private long written;
    private long writes;
    private long pollNanos;
    private long writeNanos;

    /**
     * @param consumerConfig how to reach the broker (bootstrap servers and any security settings)
     * @param maxHeld the most entries held unwritten
     */
    RebuildRead(CloudEvents cloudEvents, ServiceLevels serviceLevels, LedgerStore store,
            Map<String, Object> consumerConfig, int maxHeld) {
        this.cloudEvents = cloudEvents;
        this.entries = new LedgerEntries(cloudEvents);
        this.serviceLevels = serviceLevels;
        this.store = store;
        this.consumerConfig = consumerConfig;
        this.maxHeld = maxHeld;
    }

    /**
     * Reads the partitions from {@code from} up to {@code ends} into the ledgers.
     *
     * @return where the binding carries on in each partition: everything before it is stored and counted
     */
    Map<TopicPartition, Long> read(Map<TopicPartition, Long> from, Map<TopicPartition, Long> ends) {
        long started = System.nanoTime();
        Map<TopicPartition, Long> positions = new HashMap<>(from);
        Map<TopicPartition, Instant> lastTime = new HashMap<>();
        Set<TopicPartition> reading = new HashSet<>();
        from.forEach((partition, offset) -> {
            if (offset < ends.getOrDefault(partition, 0L)) {
                reading.add(partition);
            }
        });
        TopicPartition stoppedAt = null;
        long nextReport = started + REPORT_EVERY.toNanos();
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 2 * 1024 * 1024);
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        decoders = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            consumer.assign(reading);
            reading.forEach(partition -> consumer.seek(partition, from.get(partition)));
            reading:
            while (!reading.isEmpty()) {
                long polling = System.nanoTime();
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                pollNanos += System.nanoTime() - polling;
                if (polling > nextReport) {
                    nextReport = polling + REPORT_EVERY.toNanos();
                    log.info("Rebuild: {} events read, {} ledger writes so far, {} entries held", read, writes,
                            held.entries());
                }
                for (Decoded event : decode(records, reading, ends)) {
                    ConsumerRecord<byte[], byte[]> record = event.record();
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (event.poison() != null) {
                        // the binding dead-letters it, as it does any poison, once all before it is written
                        log.warn("Rebuild: {} at offset {} cannot be read ({}); the binding carries on from it",
                                partition, record.offset(), event.poison().getMessage());
                        positions.put(partition, record.offset());
                        stoppedAt = partition;
                        break reading;
                    }
                    hold(partition, record, event);
                    positions.put(partition, record.offset() + 1);
                    if (event.time() != null) {
                        lastTime.put(partition, event.time());
                    }
                    writeHeld(maxHeld);
                }
                for (TopicPartition partition : records.partitions()) {
                    if (reading.contains(partition) && positions.get(partition) >= ends.get(partition)) {
                        reading.remove(partition);
                        lastTime.remove(partition);
                        consumer.pause(List.of(partition));
                    }
                }
                keepSideBySide(consumer, reading, lastTime);
            }
            writeHeld(0);
        }
        catch (RuntimeException failure) {
            // the store (or the broker) failed: what is held is not written; the binding reads it again
            log.warn("Rebuild: stopped reading after {} events ({}); the binding carries on from the first event "
                    + "not stored", read, failure.toString());
            Map<TopicPartition, Long> carryOn = new HashMap<>(positions);
            Stream.concat(held.all(), inFlight.values().stream())
                    .forEach(request -> request.firstOffsets.forEach((partition, offset) ->
                            carryOn.merge(partition, offset, Math::min)));
            held.clear();
            inFlight.clear();
            return carryOn;
        }
        finally {
            decoders.shutdownNow();
        }
        log.info("Rebuild: {} events read into {} ledger writes of {} entries in {} ms ({} ms polling, {} ms "
                + "writing){}", read, writes, written, (System.nanoTime() - started) / 1_000_000,
                pollNanos / 1_000_000, writeNanos / 1_000_000, stoppedAt == null ? ""
                        : "; stopped at " + stoppedAt + "@" + positions.get(stoppedAt));
        return positions;
    }

    /** A record read: its time and what it adds to a ledger (none for events the fold skips), or why it is poison. */
    private record Decoded(ConsumerRecord<byte[], byte[]> record, Instant time, LedgerEntries.Read entry,
            MalformedEventException poison) {
    }

    /**
     * The records of a poll that are to be read, in the order they are then held (partition by partition, each up
     * to its end), each with what it reads as, parsed and checked against their contracts on every core: reading
     * JSON and checking it is most of a rebuild's own work, and the ledgers' order depends only on the order they
     * are held in, after.
     */
    private List<Decoded> decode(ConsumerRecords<byte[], byte[]> records, Set<TopicPartition> reading,
            Map<TopicPartition, Long> ends) {
        List<ConsumerRecord<byte[], byte[]>> toRead = new ArrayList<>(records.count());
        for (TopicPartition partition : records.partitions()) {
            if (reading.contains(partition)) {
                long end = ends.get(partition);
                for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                    if (record.offset() >= end) {
                        break;
                    }
                    toRead.add(record);
                }
            }
        }
        try {
            return decoders.submit(() -> toRead.parallelStream().map(this::decode).toList()).get();
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading events", interrupted);
        }
        catch (ExecutionException failed) {
            throw failed.getCause() instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException(failed.getCause());
        }
    }

    private Decoded decode(ConsumerRecord<byte[], byte[]> record) {
        try {
            if (record.value() == null) {
                throw new MalformedEventException("a record without a body (a tombstone) at offset "
                        + record.offset());
            }
            ReceivedEvent received = cloudEvents.receive(record.value());
            Optional<LedgerEntries.Read> reading = entries.read(record.topic(), received.event());
            if (reading.isPresent()) {
                cloudEvents.checkContract(received);
            }
            return new Decoded(record, received.event().time(), reading.orElse(null), null);
        }
        catch (MalformedEventException poison) {
            return new Decoded(record, null, null, poison);
        }
    }

    /** Holds a decoded event's entry with its request's, unless it is held, being written or counted already. */
    private void hold(TopicPartition partition, ConsumerRecord<byte[], byte[]> record, Decoded event) {
        read++;
        LedgerEntries.Read entry = event.entry();
        if (entry == null) {
            return;
        }
        HeldLedgers.Held request = held.get(entry.requestId());
        HeldLedgers.Held writing = inFlight.get(entry.requestId());
        if (request != null && request.has(entry.entry()) || writing != null && writing.has(entry.entry())
                || serviceLevels.seen(record.partition(), entry.requestId(), entry.entry())) {
            return;
        }
        held.add(entry.requestId(), record.partition(), entry.entry(), partition, record.offset());
    }

    /**
     * Writes held ledgers with one bulk write that runs while the next events are read (the write before it is
     * waited for and counted first): the closed requests' once a bulk of them is held, complete; and, once more than
     * {@code bound} entries are held, the open requests' quiet longest until a tenth of it is free. With 0, writes
     * all and waits.
     */
    private void writeHeld(int bound) {
        boolean full = held.entries() > bound;
        if (full || held.closedLedgers() >= BULK) {
            finishWriting();
            List<LedgerStore.Appended> bulk = new ArrayList<>();
            // No write is in flight now, and the partitions' ledgers were deleted when the rebuild began: a request
            // without a ledger here has none stored, and its ledger is inserted whole.
            BiConsumer<String, HeldLedgers.Held> write = (requestId, ledger) -> {
                inFlight.put(requestId, ledger);
                bulk.add(new LedgerStore.Appended(requestId, ledger.partition, ledger.entries,
                        !serviceLevels.has(ledger.partition, requestId)));
            };
            held.takeClosed(write);
            if (full) {
                held.takeUntil(bound - bound / 10, write);
            }
            List<List<LedgerStore.Appended>> bulks = new ArrayList<>();
            for (int i = 0; i < bulk.size(); i += BULK) {
                bulks.add(bulk.subList(i, Math.min(bulk.size(), i + BULK)));
            }
            // two bulk writes in flight: this service maps and encodes the next while the store applies one (each
            // ledger is in one bulk of the batch, and a batch is counted only once all its writes are acknowledged)
            writing = Flux.fromIterable(bulks).flatMap(store::appending, BULKS_IN_FLIGHT).then().toFuture();
        }
        if (bound == 0) {
            finishWriting();
        }
    }

    /** Waits for the write under way; its entries, now stored, are counted. */
    private void finishWriting() {
        long waiting = System.nanoTime();
        try {
            writing.get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException failed) {
            throw new IllegalStateException("the store did not take the ledgers", failed.getCause());
        }
        catch (InterruptedException | TimeoutException failed) {
            if (failed instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("the store did not answer", failed);
        }
        writeNanos += System.nanoTime() - waiting;
        inFlight.forEach((requestId, ledger) -> {
            ledger.entries.forEach(entry -> serviceLevels.apply(ledger.partition, requestId, entry));
            written += ledger.entries.size();
        });
        writes += inFlight.size();
        inFlight.clear();
    }

    /**
     * Pauses the partitions read furthest ahead in event time, so that the three topics (a request's created event
     * on one, its routing events on another, its feedback on a third, each with its own pace) are read side by side
     * and a request's events are held together.
     */
    private static void keepSideBySide(KafkaConsumer<byte[], byte[]> consumer, Set<TopicPartition> reading,
            Map<TopicPartition, Instant> lastTime) {
        if (reading.size() < 2 || lastTime.size() < reading.size()) {
            consumer.resume(reading);
            return;
        }
        Instant behind = lastTime.values().stream().min(Instant::compareTo).orElseThrow();
        List<TopicPartition> ahead = new ArrayList<>();
        List<TopicPartition> others = new ArrayList<>();
        for (TopicPartition partition : reading) {
            (lastTime.get(partition).isAfter(behind.plus(AHEAD)) ? ahead : others).add(partition);
        }
        consumer.pause(ahead);
        consumer.resume(others);
    }
}
