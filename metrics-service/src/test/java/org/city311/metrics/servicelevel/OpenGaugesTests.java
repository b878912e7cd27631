package org.city311.metrics.servicelevel;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.city311.metrics.servicelevel.RequestLedgerTests.SUBMITTED;
import static org.city311.metrics.servicelevel.RequestLedgerTests.hours;

/**
 * The open and overdue gauges a scrape reads count only the ledgers that have something open, not the history, and
 * give the same figures as counting every ledger.
 */
class OpenGaugesTests {

    static final Instant NOW = SUBMITTED.plus(hours(80));
    static final List<String> DEPARTMENTS = List.of("transportation", "sanitation", "parks");

    @Test
    void shouldCountOnlyWhatIsOpenAtAScrapeAndStillShowADepartmentWithNothingOpenAtZero() {
        ServiceLevels levels = new ServiceLevels(new PrometheusRegistry(), Clock.fixed(NOW, ZoneOffset.UTC));
        // given a request resolved in sanitation, one open and overdue in transportation, and a resolution of a
        // third that arrived before its routing
        levels.apply(0, "311-1", RequestLedgerTests.routed(1, "sanitation"));
        levels.apply(0, "311-1", RequestLedgerTests.resolved(2, "sanitation", hours(10), 0));
        levels.apply(0, "311-2", RequestLedgerTests.routed(1, "transportation"));
        levels.apply(0, "311-3", RequestLedgerTests.resolved(2, "parks", hours(5), 0));

        // then a scrape counts the open one and the one waiting, and no other
        assertThat(levels.partition(0).counted).extracting(RequestLedger::requestId)
                .containsExactlyInAnyOrder("311-2", "311-3");
        Map<String, Double> gauges = gauges(levels);
        assertThat(gauges).containsEntry("city311_requests_open{department=transportation}", 1.0)
                .containsEntry("city311_requests_overdue{department=transportation}", 1.0)
                .containsEntry("city311_requests_open{department=sanitation}", 0.0)
                .containsEntry("city311_fold_events_waiting{}", 1.0);

        // when the open one is resolved and the waiting one's routing arrives
        levels.apply(0, "311-2", RequestLedgerTests.resolved(2, "transportation", hours(79), 0));
        levels.apply(0, "311-3", RequestLedgerTests.routed(1, "parks"));

        // then a scrape counts nothing, and shows every department at 0
        assertThat(levels.partition(0).counted).isEmpty();
        assertThat(gauges(levels)).containsEntry("city311_requests_open{department=transportation}", 0.0)
                .containsEntry("city311_requests_open{department=parks}", 0.0)
                .containsEntry("city311_requests_overdue{department=transportation}", 0.0)
                .containsEntry("city311_fold_events_waiting{}", 0.0);
    }

    @Test
    void shouldGiveTheFiguresOfEveryLedgerCountedWhateverTheOrderOfEvents() {
        Random random = new Random(311);
        ServiceLevels levels = new ServiceLevels(new PrometheusRegistry(), Clock.fixed(NOW, ZoneOffset.UTC));
        List<Object[]> events = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String id = "311-" + i;
            List<LedgerEntry> life = life(random);
            for (LedgerEntry entry : life) {
                events.add(new Object[] { random.nextInt(4), id, entry });
            }
        }
        // (each request's events shuffled among everyone's, some delivered twice)
        Collections.shuffle(events, random);
        events.addAll(events.subList(0, 200));
        for (int i = 0; i < events.size(); i++) {
            Object[] event = events.get(i);
            levels.apply((int) event[0], (String) event[1], (LedgerEntry) event[2]);
            if (i % 97 == 0 || i == events.size() - 1) {
                // (a department that no ledger names any more, after a transfer, is still shown, at 0)
                Map<String, Double> walked = everyLedger(levels);
                Map<String, Double> scraped = gauges(levels);
                assertThat(scraped).as("after %d events", i + 1).containsAllEntriesOf(walked);
                scraped.keySet().removeAll(walked.keySet());
                assertThat(scraped.values()).as("after %d events", i + 1).allMatch(value -> value == 0);
            }
        }
        assertThat(gauges(levels).values().stream().mapToDouble(Double::doubleValue).sum()).isPositive();
    }

    /** Some of a request's life: routed, perhaps transferred, perhaps resolved, reopened, linked, held. */
    private static List<LedgerEntry> life(Random random) {
        List<LedgerEntry> life = new ArrayList<>();
        String department = DEPARTMENTS.get(random.nextInt(DEPARTMENTS.size()));
        long sequence = 1;
        life.add(RequestLedgerTests.routed(sequence++, department));
        if (random.nextInt(4) == 0) {
            String to = DEPARTMENTS.get(random.nextInt(DEPARTMENTS.size()));
            life.add(RequestLedgerTests.transferred(sequence++, department, to));
            department = to;
        }
        if (random.nextInt(5) == 0) {
            life.add(RequestLedgerTests.held(sequence++, hours(3), random.nextBoolean()));
        }
        if (random.nextInt(3) > 0) {
            life.add(RequestLedgerTests.resolved(sequence++, department, hours(1 + random.nextInt(90)), 0));
            if (random.nextInt(6) == 0) {
                life.add(RequestLedgerTests.reopened(sequence++, department, hours(95)));
            }
        }
        if (random.nextInt(10) == 0) {
            life.add(RequestLedgerTests.linked());
        }
        if (random.nextInt(5) == 0) {
            String followUp = "f-" + random.nextInt(1_000_000);
            String by = DEPARTMENTS.get(random.nextInt(DEPARTMENTS.size()));
            life.add(LedgerEntry.of("opened-" + followUp, LedgerEntry.Kind.FOLLOWUP_OPENED, SUBMITTED.plus(hours(60)))
                    .followUpId(followUp).department(by).reason("negative-feedback")
                    .dueAt(SUBMITTED.plus(hours(random.nextBoolean() ? 70 : 100))).build());
            if (random.nextBoolean()) {
                life.add(LedgerEntry.of("closed-" + followUp, LedgerEntry.Kind.FOLLOWUP_CLOSED,
                        SUBMITTED.plus(hours(75))).followUpId(followUp).department(by).onTime(true).build());
            }
        }
        if (random.nextInt(8) == 0) {
            // a routing event whose predecessor never comes: waits for ever
            life.add(RequestLedgerTests.resolved(sequence + 1, department, hours(99), 0));
        }
        return life;
    }

    /** The gauges as a walk of every ledger of every partition gives them (the scrape before it kept them apart). */
    private static Map<String, Double> everyLedger(ServiceLevels levels) {
        Map<String, Double> gauges = new TreeMap<>();
        for (int number : levels.owned()) {
            ServiceLevels.Partition part = levels.partition(number);
            Map<String, int[]> requests = new TreeMap<>();
            Map<String, int[]> followUps = new TreeMap<>();
            int waiting = 0;
            for (RequestLedger ledger : part.ledgers.values()) {
                waiting += ledger.waitingCount();
                ledger.tallyOpen(NOW, requests, followUps);
            }
            requests.forEach((department, figures) -> {
                gauges.merge("city311_requests_open{department=" + department + "}", (double) figures[0], Double::sum);
                gauges.merge("city311_requests_overdue{department=" + department + "}", (double) figures[1],
                        Double::sum);
            });
            followUps.forEach((department, figures) -> {
                gauges.merge("city311_followups_open{department=" + department + "}", (double) figures[0],
                        Double::sum);
                gauges.merge("city311_followups_overdue{department=" + department + "}", (double) figures[1],
                        Double::sum);
            });
            gauges.merge("city311_fold_events_waiting{}", (double) waiting, Double::sum);
        }
        return gauges;
    }

    /** The gauges of a scrape, summed over partitions, by name and department. */
    private static Map<String, Double> gauges(ServiceLevels levels) {
        Map<String, Double> gauges = new TreeMap<>();
        for (MetricSnapshot snapshot : levels.collect()) {
            String name = snapshot.getMetadata().getPrometheusName();
            if (!(snapshot instanceof GaugeSnapshot gauge)) {
                continue;
            }
            gauge.getDataPoints().forEach(point -> {
                String department = point.getLabels().get("department");
                gauges.merge(name + "{" + (department == null ? "" : "department=" + department) + "}",
                        point.getValue(), Double::sum);
            });
        }
        return gauges;
    }
}
