package org.city311.metrics.servicelevel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.city311.platform.events.BatchHandler;
import org.city311.platform.events.CloudEvent;
import org.city311.platform.events.CloudEvents;
import org.city311.platform.events.InboundRecord;
import org.city311.platform.events.ReceivedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One poll's events folded into the ledgers: each is read into the entry it adds to its request's ledger (or
 * skipped when that ledger has it already: a redelivery), then the ledgers they changed are written with one bulk
 * write ({@link LedgerStore#append}), and only then counted in memory. So the store always has what the figures
 * count, and has it before the offsets of its events are committed (the consumer returns after {@link #write()}):
 * a crash or a failed write before that leaves the events uncommitted and uncounted, to be delivered again; a crash
 * after it leaves them stored, and the reloaded ledgers skip them when they come again. Nothing is held between
 * batches, so a revoked partition leaves nothing unwritten.
 */
final class LedgerBatch implements BatchHandler {

    private static final Logger log = LoggerFactory.getLogger(LedgerBatch.class);

    private final CloudEvents cloudEvents;
    private final LedgerEntries entries;
    private final ServiceLevels serviceLevels;
    private final LedgerStore store;
    private final FoldCatchUp catchUp;

    /** The entries read, per request, in the order read. */
    private final Map<String, LedgerStore.Appended> ledgers = new LinkedHashMap<>();
    /** The keys of those entries, to skip an event delivered twice within the batch. */
    private final Map<String, Set<String>> keys = new HashMap<>();
    /** The last offset read of each partition, for the catch-up once written. */
    private final Map<TopicPartition, Long> lastRead = new HashMap<>();

    LedgerBatch(CloudEvents cloudEvents, ServiceLevels serviceLevels, LedgerStore store, FoldCatchUp catchUp) {
        this.cloudEvents = cloudEvents;
        this.entries = new LedgerEntries(cloudEvents);
        this.serviceLevels = serviceLevels;
        this.store = store;
        this.catchUp = catchUp;
    }

    @Override
    public void read(InboundRecord record) {
        // a poison is through the fold too once the records before it are written: the catch-up never waits on it
        lastRead.put(new TopicPartition(record.topic(), record.partition()), record.offset());
        ReceivedEvent received = cloudEvents.receive(record.payload());
        CloudEvent event = received.event();
        Optional<LedgerEntries.Read> reading = entries.read(record.topic(), event);
        if (reading.isEmpty()) {
            return;
        }
        cloudEvents.checkContract(received);
        LedgerEntries.Read read = reading.get();
        if (serviceLevels.seen(record.partition(), read.requestId(), read.entry())
                || !keys.computeIfAbsent(read.requestId(), id -> new HashSet<>()).add(read.entry().key())) {
            log.debug("{} {} of {} already counted; redelivery ignored", event.type(), event.id(), read.requestId());
            return;
        }
        ledgers.computeIfAbsent(read.requestId(),
                id -> new LedgerStore.Appended(id, record.partition(), new ArrayList<>())).entries()
                .add(read.entry());
    }

    @Override
    public void write() {
        if (!ledgers.isEmpty()) {
            store.append(ledgers.values());
            ledgers.values().forEach(ledger -> ledger.entries().forEach(entry ->
                    serviceLevels.apply(ledger.partition(), ledger.requestId(), entry)));
        }
        lastRead.forEach((partition, offset) -> catchUp.processed(partition.topic(), partition.partition(), offset));
        discard();
    }

    @Override
    public void discard() {
        ledgers.clear();
        keys.clear();
        lastRead.clear();
    }
}
