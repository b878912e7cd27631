package org.city311.routing.work;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class QueueTagTests {

    private static final Instant NOW = Instant.parse("2026-11-23T13:00:00Z");

    @Test
    void shouldTakeACurrentTagAsUnchangedUntilTheCounterMovesOrItsTimeIsUp() {
        String tag = QueueTag.of(7, NOW.plus(Duration.ofMinutes(5)), "queue|transportation");

        assertThat(QueueTag.unchanged("W/\"" + tag + "\"", 7, "queue|transportation", NOW)).contains(tag);
        assertThat(QueueTag.unchanged("\"" + tag + "\"", 8, "queue|transportation", NOW)).isEmpty();
        assertThat(QueueTag.unchanged("\"" + tag + "\"", 7, "queue|sanitation", NOW)).isEmpty();
        assertThat(QueueTag.unchanged("\"" + tag + "\"", 7, "queue|transportation", NOW.plus(Duration.ofMinutes(5))))
                .isEmpty();
    }

    @Test
    void shouldNeverTakeATagOfTheCountersKeptApartBeforeForACurrentOne() {
        // given a tag as the older counters (queue_changes, which the counters beside the work replaced, counting
        // from zero again) made them: the bare counter first
        String older = "7-" + Long.toString(NOW.plus(Duration.ofMinutes(5)).toEpochMilli(), 36) + "-"
                + Integer.toHexString("queue|transportation".hashCode());

        // when the new counter happens to stand at the same number, then that tag is not current
        assertThat(QueueTag.unchanged("\"" + older + "\"", 7, "queue|transportation", NOW)).isEmpty();
    }
}
