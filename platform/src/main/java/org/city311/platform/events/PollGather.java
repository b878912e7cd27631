package org.city311.platform.events;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;

import org.springframework.kafka.listener.BatchInterceptor;

/**
 * A batch binding's gather ({@code city311.bindings.gather}): after a batch is written, the consumer waits until the
 * gather time has passed since the batch arrived, so that the next poll brings the events of that time for one
 * write. The wait overlaps the batch's own work, and only follows a batch: an empty poll (the consumer idle, its fetch
 * held at the broker until an event arrives) is followed by the next poll at once. One sleep, one wakeup (Spring for
 * Apache Kafka's {@code idleBetweenPolls} sleeps in 10 ms steps, and after empty polls too).
 *
 * <p>Runs on the binding's consumer thread only. A failed batch is not held here: the error handler's back-off
 * applies to it. A stop waits for the hold, at most the gather (well within {@code city311.bindings.stop-timeout}).
 */
final class PollGather implements BatchInterceptor<Object, Object> {

    private final long gatherNanos;
    private long arrived;

    PollGather(Duration gather) {
        this.gatherNanos = gather.toNanos();
    }

    @Override
    public ConsumerRecords<Object, Object> intercept(ConsumerRecords<Object, Object> records,
            Consumer<Object, Object> consumer) {
        arrived = System.nanoTime();
        return records;
    }

    @Override
    public void success(ConsumerRecords<Object, Object> records, Consumer<Object, Object> consumer) {
        long left = gatherNanos - (System.nanoTime() - arrived);
        if (left > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(left);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
