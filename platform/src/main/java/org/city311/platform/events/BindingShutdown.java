package org.city311.platform.events;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;

/**
 * Stops every input binding's Kafka listener container at once, and waits for them at most {@code stopTimeout}.
 * <p>
 * Spring Cloud Stream stops its input bindings one after another, and each stop waits for its consumer thread up to
 * the container's shutdown timeout (10 s by default): a service with three bindings whose consumers are busy (a
 * record in hand, a store that answers slowly, a retry back-off) took half a minute to stop. Here every container is
 * told to stop in the same moment, just before the bindings' own phase; a consumer that has not finished its record
 * by the deadline leaves it uncommitted, to be delivered again at the next start (every consumer is idempotent).
 * The bindings' own stop then finds their containers stopped. Each container's shutdown timeout is set to the same
 * bound, for any stop that does not go through here. Containers are registered by {@link InputBindings}, the
 * binder's one container customizer.
 */
public final class BindingShutdown implements SmartLifecycle {

    /** Just before Spring Cloud Stream 5's input bindings ({@code DEFAULT_PHASE - 3000}). */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 2999;

    private static final Logger log = LoggerFactory.getLogger(BindingShutdown.class);

    private final Duration stopTimeout;
    private final List<Stoppable> containers = new CopyOnWriteArrayList<>();
    private volatile boolean running;

    public BindingShutdown(Duration stopTimeout) {
        this.stopTimeout = stopTimeout;
    }

    private record Stoppable(String name, AbstractMessageListenerContainer<?, ?> container) {
    }

    /** Stops {@code container} with the others, at most {@code stopTimeout} after being told to. */
    public void register(AbstractMessageListenerContainer<?, ?> container, String destinationName, String group) {
        container.getContainerProperties().setShutdownTimeout(stopTimeout.toMillis());
        containers.add(new Stoppable(destinationName + (group != null ? " (" + group + ")" : ""), container));
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        stopAll();
    }

    /** @return whether every running container stopped within {@code stopTimeout} */
    boolean stopAll() {
        List<Stoppable> toStop = containers.stream().filter(stoppable -> stoppable.container().isRunning()).toList();
        if (toStop.isEmpty()) {
            return true;
        }
        long started = System.nanoTime();
        CountDownLatch stopped = new CountDownLatch(toStop.size());
        List<String> waiting = new CopyOnWriteArrayList<>(toStop.stream().map(Stoppable::name).toList());
        for (Stoppable stoppable : toStop) {
            stoppable.container().stop(() -> {
                waiting.remove(stoppable.name());
                stopped.countDown();
            });
        }
        try {
            if (stopped.await(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.info("Input bindings stopped in {} ms", (System.nanoTime() - started) / 1_000_000);
                return true;
            }
            log.warn("Input bindings still busy after {} ms, left to finish on their own (their records are "
                    + "delivered again at the next start if unfinished): {}", stopTimeout.toMillis(), waiting);
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
