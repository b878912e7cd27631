package org.city311.feedback.store;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.bulk.BulkWriteResult;

import org.springframework.data.mongodb.core.ReactiveBulkOperations;

/**
 * Runs an unordered bulk write (one command for each kind of statement it holds: inserts, updates, deletes) and
 * tells which of its statements the store refused as a duplicate of a unique key: a guarded upsert that found a
 * newer document, an insert of an id already there. The others are applied all the same. Any other failure is
 * thrown, for the batch to be delivered again.
 */
public final class BulkWrites {

    private BulkWrites() {
    }

    /**
     * What the store did with a bulk write.
     *
     * @param result the counts of what it matched, modified, inserted, upserted and deleted
     * @param duplicates the indexes (in the order the statements were added) of the statements refused as duplicates
     */
    public record Outcome(BulkWriteResult result, Set<Integer> duplicates) {
    }

    public static Outcome execute(ReactiveBulkOperations bulk, Duration timeout) {
        try {
            return new Outcome(bulk.execute().block(timeout), Set.of());
        }
        catch (RuntimeException failure) {
            MongoBulkWriteException refused = bulkFailure(failure);
            if (refused == null || refused.getWriteConcernError() != null
                    || !refused.getWriteErrors().stream().allMatch(BulkWrites::duplicate)) {
                throw failure;
            }
            Set<Integer> duplicates = new TreeSet<>();
            refused.getWriteErrors().forEach(error -> duplicates.add(error.getIndex()));
            return new Outcome(refused.getWriteResult(), duplicates);
        }
    }

    private static boolean duplicate(BulkWriteError error) {
        return error.getCode() == 11000 || error.getCode() == 11001;
    }

    private static MongoBulkWriteException bulkFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof MongoBulkWriteException bulk) {
                return bulk;
            }
            if (cause.getCause() == cause) {
                return null;
            }
        }
        return null;
    }
}
