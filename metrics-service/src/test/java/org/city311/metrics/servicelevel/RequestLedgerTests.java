package org.city311.metrics.servicelevel;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestLedgerTests {

    static final Instant SUBMITTED = Instant.parse("2026-11-02T14:00:00Z");
    static final Map<String, String> STREETS = Map.of("department", "transportation");

    @Test
    void shouldCountAResolutionByItsDueTimeWithinTheStandard() {
        PartitionFigures figures = fold(routed(1, "transportation"), accepted(2, hours(2)),
                resolved(3, "transportation", hours(30), 0));

        assertThat(figures.counter(Metric.REQUESTS_ROUTED, STREETS)).isEqualTo(1);
        assertThat(figures.counter(Metric.REQUESTS_RESOLVED,
                Map.of("department", "transportation", "segment", "resident"))).isEqualTo(1);
        assertThat(figures.counter(Metric.REQUESTS_RESOLVED_WITH_STANDARD, STREETS)).isEqualTo(1);
        assertThat(figures.counter(Metric.REQUESTS_RESOLVED_WITHIN_STANDARD, STREETS)).isEqualTo(1);
        assertThat(figures.counter(Metric.FIRST_ACTIONS_WITHIN_STANDARD, STREETS)).isEqualTo(1);
        PartitionFigures.Histogram.Snapshot resolution = figures.histogram(Metric.RESOLUTION_SECONDS,
                Map.of("department", "transportation", "service_code", "pothole"));
        assertThat(resolution.count()).isEqualTo(1);
        assertThat(resolution.sum()).isEqualTo(30 * 3600.0);
        assertThat(resolution.atOrBelow(86400)).isZero();
        assertThat(resolution.atOrBelow(2 * 86400)).isEqualTo(1);
    }

    @Test
    void shouldMissTheStandardWhenResolvedAfterTheDueTime() {
        PartitionFigures figures = fold(routed(1, "transportation"), resolved(2, "transportation", hours(80), 0));

        assertThat(figures.counter(Metric.REQUESTS_RESOLVED_WITH_STANDARD, STREETS)).isEqualTo(1);
        assertThat(figures.counter(Metric.REQUESTS_RESOLVED_WITHIN_STANDARD, STREETS)).isZero();
        // resolving without accepting is the first action, and it came after its 24-hour standard
        assertThat(figures.counter(Metric.FIRST_ACTIONS, STREETS)).isEqualTo(1);
        assertThat(figures.counter(Metric.FIRST_ACTIONS_WITHIN_STANDARD, STREETS)).isZero();
    }

    @Test
    void shouldTakeTimeOnAHoldThatPausesTheClockOutOfTheResolutionTime() {
        RequestLedger ledger = new RequestLedger("311-1");
        PartitionFigures figures = new PartitionFigures();
        ledger.apply(routed(1, "transportation"), figures);
        ledger.apply(held(2, hours(10), true), figures);

        // on a hold that stops the clock, it is not overdue even past its original due time
        assertThat(ledger.overdue(SUBMITTED.plus(hours(100)))).isFalse();

        ledger.apply(resumed(3, hours(58), SUBMITTED.plus(hours(72 + 48))), figures);
        ledger.apply(resolved(4, "transportation", hours(100), 48 * 3600L), figures);

        PartitionFigures.Histogram.Snapshot resolution = figures.histogram(Metric.RESOLUTION_SECONDS,
                Map.of("department", "transportation", "service_code", "pothole"));
        assertThat(resolution.sum()).isEqualTo(52 * 3600.0);
        assertThat(figures.counter(Metric.REQUESTS_RESOLVED_WITHIN_STANDARD, STREETS)).isEqualTo(1);
    }

    @Test
    void shouldBeOverdueWhenOpenPastItsDueTime() {
        RequestLedger ledger = new RequestLedger("311-1");
        PartitionFigures figures = new PartitionFigures();
        ledger.apply(routed(1, "transportation"), figures);

        assertThat(ledger.overdue(SUBMITTED.plus(hours(71)))).isFalse();
        assertThat(ledger.overdue(SUBMITTED.plus(hours(73)))).isTrue();

        ledger.apply(held(2, hours(74), false), figures);
        assertThat(ledger.overdue(SUBMITTED.plus(hours(75)))).as("a hold that does not stop the clock").isTrue();
    }

    @Test
    void shouldCountTheRunaroundOncePerRequestAndEachHop() {
        PartitionFigures figures = fold(routed(1, "transportation"), transferred(2, "transportation", "parks"),
                transferred(3, "parks", "sanitation"), resolved(4, "sanitation", hours(20), 0));

        assertThat(figures.counter(Metric.REQUESTS_REROUTED, STREETS)).isEqualTo(1);
        assertThat(figures.counter(Metric.REQUESTS_TRANSFERRED,
                Map.of("from_department", "transportation", "to_department", "parks"))).isEqualTo(1);
        assertThat(figures.counter(Metric.REQUESTS_TRANSFERRED,
                Map.of("from_department", "parks", "to_department", "sanitation"))).isEqualTo(1);
        assertThat(figures.counter(Metric.REQUESTS_ROUTED, STREETS)).isEqualTo(1);
        assertThat(figures.counter(Metric.REQUESTS_RESOLVED,
                Map.of("department", "sanitation", "segment", "resident"))).isEqualTo(1);
    }

    @Test
    void shouldCountEachTransferByWhyWithTheChannelAndFilingTeamWhateverTheOrder() {
        // given a phone request filed by the call centre, transferred as filed for the wrong service, then on
        // with no reason code, then with one not on the list; its created event arriving last
        LedgerEntry routed = routing(1, LedgerEntry.Kind.ROUTED, SUBMITTED.plusSeconds(2)).department("transportation")
                .serviceCode("pothole").segment("resident").channel("phone").team("call-centre")
                .submittedAt(SUBMITTED).build();
        LedgerEntry intake = routing(2, LedgerEntry.Kind.TRANSFERRED, SUBMITTED.plus(hours(2)))
                .fromDepartment("transportation").department("parks").reasonCode("wrong-service-chosen-at-intake")
                .build();
        LedgerEntry none = transferred(3, "parks", "sanitation");
        LedgerEntry unknown = routing(4, LedgerEntry.Kind.TRANSFERRED, SUBMITTED.plus(hours(4)))
                .fromDepartment("sanitation").department("parks").reasonCode("bad-luck").build();
        LedgerEntry created = LedgerEntry.of("created", LedgerEntry.Kind.CREATED, SUBMITTED).channel("phone")
                .segment("resident").team("call-centre").build();

        for (List<LedgerEntry> order : List.of(List.of(created, routed, intake, none, unknown),
                List.of(unknown, none, intake, routed, intake, created))) {
            PartitionFigures figures = fold(order.toArray(LedgerEntry[]::new));

            // then each transfer counts once, by its reason (none, or one not on the list: other), under the
            // department that made it
            assertThat(figures.counter(Metric.REQUESTS_MISROUTED, Map.of("department", "transportation",
                    "channel", "phone", "team", "call-centre", "reason", "wrong-service-chosen-at-intake")))
                    .isEqualTo(1);
            assertThat(figures.counter(Metric.REQUESTS_MISROUTED, Map.of("department", "parks", "channel", "phone",
                    "team", "call-centre", "reason", "other"))).isEqualTo(1);
            assertThat(figures.counter(Metric.REQUESTS_MISROUTED, Map.of("department", "sanitation",
                    "channel", "phone", "team", "call-centre", "reason", "other"))).isEqualTo(1);
        }
        // and a request filed by no team (or before teams were carried) counts under none
        PartitionFigures noTeam = fold(routed(1, "transportation"), transferred(2, "transportation", "parks"));
        assertThat(noTeam.counter(Metric.REQUESTS_MISROUTED, Map.of("department", "transportation",
                "channel", "phone", "team", "none", "reason", "other"))).isEqualTo(1);
    }

    @Test
    void shouldGiveTheSameFiguresWhateverTheOrderAndDuplicates() {
        List<LedgerEntry> entries = List.of(created(), routed(1, "transportation"), accepted(2, hours(1)),
                held(3, hours(5), true), resumed(4, hours(9), SUBMITTED.plus(hours(76))),
                transferred(5, "transportation", "parks"), resolved(6, "parks", hours(40), 4 * 3600L),
                reopened(7, "parks", hours(50)), resolved(8, "parks", hours(60), 4 * 3600L),
                feedback("f-1", 2, false), feedback("f-2", 5, true));
        String inOrder = describe(fold(entries.toArray(LedgerEntry[]::new)));

        Random random = new Random(311);
        for (int attempt = 0; attempt < 200; attempt++) {
            List<LedgerEntry> shuffled = new ArrayList<>(entries);
            shuffled.addAll(entries.subList(0, random.nextInt(entries.size())));
            Collections.shuffle(shuffled, random);
            assertThat(describe(fold(shuffled.toArray(LedgerEntry[]::new)))).isEqualTo(inOrder);
        }
        assertThat(inOrder).contains("city311_requests_reopened{department=parks}=1.0")
                .contains("city311_requests_resolved{department=parks, segment=resident}=2.0")
                .contains("city311_feedback_satisfaction{department=parks, source=survey}=2/7.0");
    }

    @Test
    void shouldHoldBackARoutingEventUntilItsPredecessorArrives() {
        RequestLedger ledger = new RequestLedger("311-1");
        PartitionFigures figures = new PartitionFigures();
        ledger.apply(resolved(2, "transportation", hours(30), 0), figures);

        assertThat(ledger.waitingCount()).isEqualTo(1);
        assertThat(figures.counter(Metric.REQUESTS_RESOLVED,
                Map.of("department", "transportation", "segment", "resident"))).isZero();

        ledger.apply(routed(1, "transportation"), figures);
        assertThat(ledger.waitingCount()).isZero();
        assertThat(figures.counter(Metric.REQUESTS_RESOLVED_WITHIN_STANDARD, STREETS)).isEqualTo(1);
    }

    @Test
    void shouldStopCountingALinkedDuplicateAsOpenOrOverdueWhateverTheOrder() {
        // given a request long past its due time, then linked as a duplicate of another
        Instant now = SUBMITTED.plus(hours(100));
        List<LedgerEntry> entries = List.of(created(), routed(1, "transportation"), accepted(2, hours(1)), linked());

        List<LedgerEntry> linkFirstTwice = List.of(entries.get(3), entries.get(1), entries.get(3), entries.get(2),
                entries.get(0));
        for (List<LedgerEntry> order : List.of(entries, linkFirstTwice)) {
            RequestLedger ledger = new RequestLedger("311-1");
            PartitionFigures figures = new PartitionFigures();
            order.forEach(entry -> ledger.apply(entry, figures));

            // then it is neither open nor overdue, in the department that has it
            Map<String, int[]> open = new java.util.TreeMap<>();
            ledger.tallyOpen(now, open, new java.util.TreeMap<>());
            assertThat(open.get("transportation")).as("open, overdue").containsExactly(0, 0);
            assertThat(ledger.overdue(now)).isFalse();
            // and the link resolved or closed nothing: the counters are those of the request without it
            assertThat(describe(figures)).isEqualTo(describe(fold(created(), routed(1, "transportation"),
                    accepted(2, hours(1)))));
        }
        // (without the link, the same request is open and overdue)
        RequestLedger unlinked = new RequestLedger("311-2");
        unlinked.apply(routed(1, "transportation"), new PartitionFigures());
        assertThat(unlinked.overdue(now)).isTrue();
    }

    static PartitionFigures fold(LedgerEntry... entries) {
        RequestLedger ledger = new RequestLedger("311-1");
        PartitionFigures figures = new PartitionFigures();
        for (LedgerEntry entry : entries) {
            ledger.apply(entry, figures);
        }
        return figures;
    }

    /** Every non-zero series, sorted: two folds are equal when their descriptions are. */
    static String describe(PartitionFigures figures) {
        List<String> lines = new ArrayList<>();
        for (Metric metric : Metric.values()) {
            if (metric.histogram()) {
                figures.forEachHistogram(metric, (labels, histogram) -> lines.add(metric.prometheusName()
                        + new java.util.TreeMap<>(labels) + "=" + histogram.count() + "/" + histogram.sum()));
            }
            else {
                figures.forEachCounter(metric, (labels, value) -> lines.add(metric.prometheusName()
                        + new java.util.TreeMap<>(labels) + "=" + value));
            }
        }
        Collections.sort(lines);
        return String.join("\n", lines);
    }

    static Duration hours(long hours) {
        return Duration.ofHours(hours);
    }

    static LedgerEntry created() {
        return LedgerEntry.of("created", LedgerEntry.Kind.CREATED, SUBMITTED).channel("phone").segment("resident")
                .build();
    }

    static LedgerEntry routed(long sequence, String department) {
        return routing(sequence, LedgerEntry.Kind.ROUTED, SUBMITTED.plusSeconds(2)).department(department)
                .serviceCode("pothole").segment("resident").channel("phone").submittedAt(SUBMITTED)
                .firstActionDueAt(SUBMITTED.plus(hours(24))).resolutionDueAt(SUBMITTED.plus(hours(72))).build();
    }

    static LedgerEntry accepted(long sequence, Duration after) {
        return routing(sequence, LedgerEntry.Kind.ACCEPTED, SUBMITTED.plus(after)).department("transportation")
                .firstActionDueAt(SUBMITTED.plus(hours(24))).build();
    }

    static LedgerEntry held(long sequence, Duration after, boolean clockPaused) {
        return routing(sequence, LedgerEntry.Kind.HELD, SUBMITTED.plus(after)).department("transportation")
                .clockPaused(clockPaused).build();
    }

    static LedgerEntry resumed(long sequence, Duration after, Instant resolutionDueAt) {
        return routing(sequence, LedgerEntry.Kind.RESUMED, SUBMITTED.plus(after)).department("transportation")
                .resolutionDueAt(resolutionDueAt).build();
    }

    static LedgerEntry transferred(long sequence, String from, String to) {
        return routing(sequence, LedgerEntry.Kind.TRANSFERRED, SUBMITTED.plus(hours(sequence)))
                .fromDepartment(from).department(to).build();
    }

    static LedgerEntry resolved(long sequence, String department, Duration after, long pausedSeconds) {
        return routing(sequence, LedgerEntry.Kind.RESOLVED, SUBMITTED.plus(after)).department(department)
                .pausedSeconds(pausedSeconds).build();
    }

    static LedgerEntry reopened(long sequence, String department, Duration after) {
        return routing(sequence, LedgerEntry.Kind.REOPENED, SUBMITTED.plus(after)).department(department).build();
    }

    static LedgerEntry linked() {
        return LedgerEntry.of("linked", LedgerEntry.Kind.LINKED, SUBMITTED.plus(hours(3))).build();
    }

    static LedgerEntry feedback(String id, int satisfaction, boolean resolved) {
        return LedgerEntry.of("feedback:" + id, LedgerEntry.Kind.FEEDBACK, SUBMITTED.plus(hours(70)))
                .department("parks").source("survey").satisfaction(satisfaction).resolved(resolved).build();
    }

    private static LedgerEntry.Builder routing(long sequence, LedgerEntry.Kind kind, Instant at) {
        return LedgerEntry.of("routing:" + sequence, kind, at).sequence(sequence);
    }
}
