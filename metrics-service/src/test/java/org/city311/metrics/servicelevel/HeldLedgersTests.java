package org.city311.metrics.servicelevel;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HeldLedgersTests {

    private static final Instant AT = Instant.parse("2026-03-02T09:00:00Z");
    private static final TopicPartition ROUTING = new TopicPartition("city311.routing", 0);

    private final HeldLedgers held = new HeldLedgers();
    private long offset;

    @Test
    void shouldWriteClosedRequestsFirstAndKeepOpenOnesHeldThoughTheyAreQuieter() {
        // given a request resolved long ago and waiting to be closed, then two requests filed and closed since
        add("311-waiting", LedgerEntry.Kind.CREATED, LedgerEntry.Kind.ROUTED, LedgerEntry.Kind.RESOLVED);
        add("311-done-1", LedgerEntry.Kind.CREATED, LedgerEntry.Kind.ROUTED, LedgerEntry.Kind.CLOSED);
        add("311-done-2", LedgerEntry.Kind.CREATED, LedgerEntry.Kind.CLOSED);

        // when too many are held and some must be written
        List<String> written = takeUntil(3);

        // then the closed ones go, in the order they closed, and the one still to be closed stays, with its entries
        assertThat(written).containsExactly("311-done-1", "311-done-2");
        assertThat(held.entries()).isEqualTo(3);
        assertThat(held.get("311-waiting").entries).extracting(LedgerEntry::kind)
                .containsExactly(LedgerEntry.Kind.CREATED, LedgerEntry.Kind.ROUTED, LedgerEntry.Kind.RESOLVED);
    }

    @Test
    void shouldHandOverTheClosedRequestsAloneWhenAskedForThem() {
        // a closed request's ledger is complete: the rebuild writes them as soon as a bulk write's worth is held
        add("311-open", LedgerEntry.Kind.CREATED, LedgerEntry.Kind.ROUTED);
        add("311-done", LedgerEntry.Kind.CREATED, LedgerEntry.Kind.CLOSED);
        assertThat(held.closedLedgers()).isEqualTo(1);

        List<String> taken = new ArrayList<>();
        held.takeClosed((requestId, ledger) -> taken.add(requestId));

        assertThat(taken).containsExactly("311-done");
        assertThat(held.closedLedgers()).isZero();
        assertThat(held.entries()).isEqualTo(2);
        assertThat(held.get("311-open")).isNotNull();
    }

    @Test
    void shouldWriteOpenRequestsQuietLongestFirstOnceNoClosedOneIsLeft() {
        add("311-a", LedgerEntry.Kind.CREATED);
        add("311-b", LedgerEntry.Kind.CREATED);
        add("311-c", LedgerEntry.Kind.CREATED, LedgerEntry.Kind.CLOSED);
        add("311-a", LedgerEntry.Kind.ROUTED);

        assertThat(takeUntil(1)).containsExactly("311-c", "311-b", "311-a");
        assertThat(held.entries()).isZero();
    }

    @Test
    void shouldKeepAReopenedRequestWithTheOpenOnesAndALateEntryWithItsClosedRequest() {
        // given one request closed then reopened, and another closed then surveyed
        add("311-reopened", LedgerEntry.Kind.CREATED, LedgerEntry.Kind.CLOSED);
        add("311-surveyed", LedgerEntry.Kind.CREATED, LedgerEntry.Kind.CLOSED);
        add("311-reopened", LedgerEntry.Kind.REOPENED);
        add("311-surveyed", LedgerEntry.Kind.FEEDBACK);

        // then the surveyed one is written first, its survey with it, and the reopened one is held on
        List<HeldLedgers.Held> taken = new ArrayList<>();
        held.takeUntil(3, (requestId, ledger) -> taken.add(ledger));
        assertThat(taken).singleElement().satisfies(ledger -> assertThat(ledger.entries).extracting(LedgerEntry::kind)
                .containsExactly(LedgerEntry.Kind.CREATED, LedgerEntry.Kind.CLOSED, LedgerEntry.Kind.FEEDBACK));
        assertThat(held.get("311-reopened").entries).hasSize(3);
        assertThat(held.get("311-surveyed")).isNull();
    }

    @Test
    void shouldKeepTheFirstOffsetOfEachPartitionARequestCameFrom() {
        // where the binding carries on if the store fails before the request is written
        held.add("311-a", 0, entry("created", LedgerEntry.Kind.CREATED), new TopicPartition("city311.requests", 0), 40);
        held.add("311-a", 0, entry("routing:1", LedgerEntry.Kind.ROUTED), ROUTING, 7);
        held.add("311-a", 0, entry("routing:2", LedgerEntry.Kind.ACCEPTED), ROUTING, 9);

        assertThat(held.get("311-a").firstOffsets).containsEntry(ROUTING, 7L)
                .containsEntry(new TopicPartition("city311.requests", 0), 40L);
        assertThat(held.all()).hasSize(1);
    }

    private void add(String requestId, LedgerEntry.Kind... kinds) {
        for (LedgerEntry.Kind kind : kinds) {
            held.add(requestId, 0, entry(kind.name() + offset, kind), ROUTING, offset++);
        }
    }

    private List<String> takeUntil(int target) {
        List<String> taken = new ArrayList<>();
        held.takeUntil(target, (requestId, ledger) -> taken.add(requestId));
        return taken;
    }

    private static LedgerEntry entry(String key, LedgerEntry.Kind kind) {
        return LedgerEntry.of(key, kind, AT).build();
    }
}
