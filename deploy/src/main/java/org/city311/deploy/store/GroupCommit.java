package org.city311.deploy.store;

import java.util.concurrent.atomic.LongAdder;

/**
 * Acknowledges a write only after a commit that covers it, with one commit for all the writes that arrived
 * together (group commit): the first writer to wait commits every write applied so far; writers that arrive during
 * that commit wait, and the next of them commits all of them at once. Under load a commit covers many writes; alone,
 * a write costs one commit, as before.
 *
 * <p>The guarantee is the one a journaled MongoDB write gives: once a write is acknowledged, a crash of the store's
 * process cannot lose it. A write's number is taken after it is applied, and a commit covers every number taken
 * before it started, so a commit never acknowledges a write it did not include.
 */
final class GroupCommit {

    private final Runnable commit;
    private final LongAdder commits = new LongAdder();

    private long applied;
    private long committed;
    private boolean committing;

    GroupCommit(Runnable commit) {
        this.commit = commit;
    }

    /** Called by a writer after its write is applied; returns once a commit covers it. */
    void awaitDurable() {
        long mine;
        synchronized (this) {
            mine = ++applied;
        }
        boolean interrupted = false;
        try {
            while (true) {
                long target;
                synchronized (this) {
                    while (committing && committed < mine) {
                        try {
                            wait();
                        } catch (InterruptedException e) {
                            // The write is applied: it must not be acknowledged before its commit, so keep waiting.
                            interrupted = true;
                        }
                    }
                    if (committed >= mine) {
                        return;
                    }
                    committing = true;
                    target = applied;
                }
                boolean done = false;
                try {
                    commit.run();
                    commits.increment();
                    done = true;
                } finally {
                    synchronized (this) {
                        if (done) {
                            committed = Math.max(committed, target);
                        }
                        committing = false;
                        notifyAll();
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Commits made so far; with {@link #writes()} it says how many writes a commit covered on average. */
    long commits() {
        return commits.sum();
    }

    synchronized long writes() {
        return applied;
    }
}
