package org.city311.platform.events;

/**
 * What a batch consumer does with the records of one poll (see {@link BatchConsumer}): it reads them one by one,
 * in order, holding what they change, then writes all of it at once.
 * <p>
 * {@link #read} touches no store: it folds the record into what is held (skipping what is already applied, so that a
 * redelivered record changes nothing) or throws {@link MalformedEventException} for a record that can never be
 * read. {@link #write} stores everything held with one bulk write per collection; when it returns, all of it is
 * stored, and the offsets of every record read since the last write may be committed. Writes must be idempotent
 * (an upsert, a guarded update, an {@code $addToSet}): a batch whose write the store took but whose answer was lost
 * is delivered again. When it throws, {@link #discard} is called and the records are delivered again.
 */
public interface BatchHandler {

    /** Folds one record into what this batch will write; a record that can never be read throws a poison. */
    void read(InboundRecord record);

    /**
     * Writes what the records read since the last write changed; returns only once the store has all of it. Called
     * also when they changed nothing (all redeliveries, or the batch's first record is a poison): it then sends the
     * store nothing.
     */
    void write();

    /** Forgets what was read and not written: those records are delivered again. */
    void discard();
}
