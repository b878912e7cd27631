package org.city311.routing.work;

import java.time.Instant;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.city311.platform.outbox.PendingEvent;

import static org.assertj.core.api.Assertions.assertThat;

/** What an instance remembers of the work it wrote: bounded, without pending events, never a linked duplicate. */
class RecentWorkTests {

    private static final Instant AT = Instant.parse("2026-11-23T13:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void shouldKeepTheItemsActedOnLastUpToItsSize() {
        RecentWork recent = new RecentWork(new RecentWork.Properties(2), registry);
        recent.remember(item("311-1", 1, null));
        recent.remember(item("311-2", 1, null));
        assertThat(recent.get("311-1")).isNotNull(); // 311-1 used last: 311-2 leaves first
        recent.remember(item("311-3", 1, null));

        assertThat(recent.size()).isEqualTo(2);
        assertThat(recent.get("311-2")).isNull();
        assertThat(recent.get("311-1")).isNotNull();
        // a newer version replaces the older; a forgotten item is read from the store again
        recent.remember(item("311-3", 2, null));
        assertThat(recent.get("311-3").sequence()).isEqualTo(2);
        recent.forget("311-3");
        assertThat(recent.get("311-3")).isNull();
        assertThat(registry.get("city311.routing.recent.work").tag("outcome", "found").counter().count())
                .isEqualTo(3);
        assertThat(registry.get("city311.routing.recent.work").tag("outcome", "read").counter().count())
                .isEqualTo(2);
    }

    @Test
    void shouldKeepNeitherPendingEventsNorLinkedDuplicates() {
        RecentWork recent = new RecentWork(new RecentWork.Properties(10), registry);
        recent.remember(item("311-1", 3, null));
        recent.remember(item("311-2", 3, "311-1"));

        assertThat(recent.get("311-1").outbox()).isEmpty();
        assertThat(recent.get("311-1").sequence()).isEqualTo(3);
        assertThat(recent.get("311-2")).isNull();
    }

    @Test
    void shouldRememberNothingWhenSizedZero() {
        RecentWork recent = new RecentWork(new RecentWork.Properties(0), registry);
        recent.remember(item("311-1", 1, null));
        assertThat(recent.get("311-1")).isNull();
    }

    private static WorkItem item(String id, long sequence, String duplicateOf) {
        List<PendingEvent> outbox = List.of(new PendingEvent("e-" + sequence, "city311.routing", id,
                "city311.request.routed.v1", "{}", AT));
        return new WorkItem(id, "pothole", "transportation", WorkStatus.ROUTED, sequence, "service-owner", AT, AT,
                null, outbox, null, null, null, 0, null, null, null, 0, duplicateOf, null, null, null, null, null);
    }
}
