package org.city311.routing.work;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;

/**
 * The work items this instance wrote last, as it wrote them: what a department action starts from instead of
 * reading the item again. Work is acted on soon after it is routed or last changed (accepted minutes after routing,
 * resolved after accepting), so most actions find their item here and cost one store command, the guarded write,
 * instead of two.
 * <p>
 * An item here may be stale: another instance, or a write that does not go through {@link WorkStore}, may have changed
 * it since. That is safe because nothing is decided on it alone: the write is guarded on the version and on the link
 * ({@code sequence}, {@code duplicateOf}), which every change of a work item raises or sets, so a write from a stale
 * item matches nothing; and an action refused on a remembered item (a conflict, a version the caller did not expect,
 * a department it is not in) is decided again on the item read from the store ({@link DepartmentWork}). Only a write
 * that changes an item without raising its version (the note of a client's update that changed nothing,
 * {@link ClientUpdates}) forgets it here.
 * <p>
 * Kept without its pending events (the outbox relay empties them meanwhile), at most
 * {@code city311.routing.recent-work.items} items (least recently used leave first; about a kilobyte each).
 */
@Component
class RecentWork {

    /** @param items how many work items one instance remembers; 0 remembers none (every action reads its item) */
    @ConfigurationProperties("city311.routing.recent-work")
    record Properties(@DefaultValue("20000") int items) {
    }

    private final Map<String, WorkItem> items;
    private final int capacity;
    private final Counter found;
    private final Counter missed;

    RecentWork(Properties properties, MeterRegistry registry) {
        this.capacity = Math.max(0, properties.items());
        this.items = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, WorkItem> eldest) {
                return size() > capacity;
            }
        };
        this.found = Counter.builder("city311.routing.recent.work").tag("outcome", "found")
                .description("Department actions that started from the work item this instance wrote last")
                .register(registry);
        this.missed = Counter.builder("city311.routing.recent.work").tag("outcome", "read")
                .description("Department actions that read their work item from the store")
                .register(registry);
    }

    /** The item as this instance last wrote it, or null (then it is read from the store). */
    synchronized WorkItem get(String id) {
        WorkItem item = items.get(id);
        (item == null ? missed : found).increment();
        return item;
    }

    /** An item as just written (inserted, or updated under its version guard). */
    void remember(WorkItem item) {
        if (capacity == 0 || item.duplicateOf() != null) {
            return; // a linked duplicate refuses every action: nothing to start from
        }
        WorkItem kept = item.outbox() == null || item.outbox().isEmpty() ? item : withoutOutbox(item);
        synchronized (this) {
            items.put(kept.id(), kept);
        }
    }

    /** An item that may have changed without this instance knowing what it is now. */
    synchronized void forget(String id) {
        items.remove(id);
    }

    synchronized int size() {
        return items.size();
    }

    private static WorkItem withoutOutbox(WorkItem item) {
        return new WorkItem(item.id(), item.serviceCode(), item.department(), item.status(), item.sequence(),
                item.rule(), item.routedAt(), item.updatedAt(), item.resolution(), List.of(), item.agent(),
                item.heldSince(), item.statusBeforeHold(), item.transfers(), item.firstActionAt(),
                item.firstActionDueAt(), item.resolutionDueAt(), item.pausedSeconds(), item.duplicateOf(),
                item.linkedAt(), item.customerReportsFixed(), item.appliedEvents(), item.description(),
                item.location());
    }
}
