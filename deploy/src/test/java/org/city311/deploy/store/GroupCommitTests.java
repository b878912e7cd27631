package org.city311.deploy.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GroupCommitTests {

    @Test
    void shouldCommitOnceForALoneWrite() {
        AtomicInteger commits = new AtomicInteger();
        GroupCommit group = new GroupCommit(commits::incrementAndGet);

        group.awaitDurable();

        assertThat(commits).hasValue(1);
        assertThat(group.writes()).isEqualTo(1);
        assertThat(group.commits()).isEqualTo(1);
    }

    @Test
    void shouldAcknowledgeEveryConcurrentWriteOnlyAfterACommitThatCoveredIt() throws Exception {
        // What a commit "writes to disk" is every write applied before it started; a writer may return only once its
        // write is in that set, or a crash right after the acknowledgement would lose it.
        Set<Integer> applied = ConcurrentHashMap.newKeySet();
        Set<Integer> durable = ConcurrentHashMap.newKeySet();
        GroupCommit group = new GroupCommit(() -> {
            durable.addAll(Set.copyOf(applied));
            sleep(5); // a commit takes a while: writers pile up behind it, as they do under load
        });
        int writers = 16;
        int writesEach = 50;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Integer>>> lost = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            lost.add(pool.submit(() -> {
                start.await();
                List<Integer> notDurable = new ArrayList<>();
                for (int i = 0; i < writesEach; i++) {
                    int write = writer * writesEach + i;
                    applied.add(write);
                    group.awaitDurable();
                    if (!durable.contains(write)) {
                        notDurable.add(write);
                    }
                }
                return notDurable;
            }));
        }
        start.countDown();
        for (Future<List<Integer>> result : lost) {
            assertThat(result.get(30, TimeUnit.SECONDS)).as("writes acknowledged before a commit covered them")
                    .isEmpty();
        }
        pool.shutdown();

        assertThat(group.writes()).isEqualTo(writers * writesEach);
        assertThat(group.commits()).as("commits for %d writes", writers * writesEach)
                .isLessThan(writers * writesEach / 4);
    }

    @Test
    void shouldFailTheWriterWhoseCommitFailedAndCommitTheNextWrite() {
        AtomicBoolean diskFull = new AtomicBoolean(true);
        AtomicInteger commits = new AtomicInteger();
        GroupCommit group = new GroupCommit(() -> {
            if (diskFull.get()) {
                throw new IllegalStateException("no space left on device");
            }
            commits.incrementAndGet();
        });

        assertThatThrownBy(group::awaitDurable).hasMessageContaining("no space left");
        diskFull.set(false);
        group.awaitDurable();

        assertThat(commits).hasValue(1);
        assertThat(group.commits()).isEqualTo(1);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
