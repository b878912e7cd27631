package org.city311.platform.events;

/**
 * The store did not take a batch's writes (unreachable, timed out, refused): not the records' fault, so none of
 * them is dead-lettered; the batch is delivered again from its first unwritten record until the store takes it
 * (see {@link InputBindings}).
 */
public class BatchWriteFailedException extends RuntimeException {

    public BatchWriteFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
