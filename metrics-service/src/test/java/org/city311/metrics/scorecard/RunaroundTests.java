package org.city311.metrics.scorecard;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.city311.metrics.servicelevel.ServiceLevelHistory.Window;

import static org.assertj.core.api.Assertions.assertThat;

/** The runaround per service: the share of its requests transferred, their hops, and the catalog's problems. */
class RunaroundTests {

    private static final Instant FROM = Instant.parse("2026-11-06T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-12-06T00:00:00Z");

    private final Map<String, Map<Map<String, String>, Double>> counts = new HashMap<>();

    private void count(String metric, Map<String, String> labels, double value) {
        counts.computeIfAbsent(metric, name -> new HashMap<>()).merge(labels, value, Double::sum);
    }

    private void service(String code, int routed, int transferred) {
        count("city311_service_routed", Map.of("service_code", code), routed);
        count("city311_service_transferred", Map.of("service_code", code), transferred);
    }

    private void transfers(String code, String from, String to, String reason, int transfers) {
        count("city311_service_transfers", Map.of("service_code", code, "from_department", from, "to_department", to,
                "reason", reason), transfers);
    }

    private Scorecards.Runaround runaround() {
        return Scorecards.runaround(new Window(FROM, TO, counts, Map.of(), Map.of(), Map.of()));
    }

    @Test
    void shouldGiveEachFilingTeamItsShareMisroutedAtIntakeCountingNoOtherReason() {
        // given the call centre's 200 filings routed, 20 of them sent on because the wrong service was chosen (from
        // two departments), 30 more for the catalog's fault; and 50 filings naming no team, one misrouted at intake
        count("city311_team_routed", Map.of("team", "call-centre"), 200);
        count("city311_team_routed", Map.of("team", "none"), 50);
        misrouted("parks", "call-centre", "wrong-service-chosen-at-intake", 12);
        misrouted("sanitation", "call-centre", "wrong-service-chosen-at-intake", 8);
        misrouted("parks", "call-centre", "wrong-department-in-catalog", 30);
        misrouted("parks", "none", "wrong-service-chosen-at-intake", 1);

        // then each team's share misrouted at intake is its own, whatever the department that transferred
        assertThat(runaround().teams()).containsExactly(
                new Scorecards.TeamIntake("call-centre", 200, 20, 0.10),
                new Scorecards.TeamIntake("none", 50, 1, 0.02));
    }

    private void misrouted(String department, String team, String reason, int transfers) {
        count("city311_requests_misrouted", Map.of("department", department, "channel", "phone", "team", team,
                "reason", reason), transfers);
    }

    @Test
    void shouldListAServiceWhoseRequestsAreOftenSentAroundAsACatalogProblemWithTheTransfersThatShowIt() {
        // given tree damage: 60 requests routed, 9 transferred, some twice (12 hops), mostly parks to sanitation
        service("tree-damage", 60, 9);
        transfers("tree-damage", "parks", "sanitation", "wrong-department-in-catalog", 7);
        transfers("tree-damage", "sanitation", "parks", "other", 3);
        transfers("tree-damage", "parks", "transportation", "wrong-service-chosen-at-intake", 2);
        // and potholes: 200 routed, 12 transferred once each (6 %: not a problem, however many)
        service("pothole", 200, 12);
        transfers("pothole", "transportation", "environmental-protection", "needs-another-department-too", 12);
        // and a small service: 5 routed, 3 transferred (60 %, but 3 transfers: too few to say)
        service("graffiti", 5, 3);
        transfers("graffiti", "sanitation", "parks", "other", 3);

        Scorecards.Runaround runaround = runaround();

        // then tree damage comes first, a catalog problem: 15 % transferred, 1.33 hops each
        Scorecards.ServiceRunaround trees = runaround.services().get(0);
        assertThat(trees.serviceCode()).isEqualTo("tree-damage");
        assertThat(trees.catalogProblem()).isTrue();
        assertThat(trees.routed()).isEqualTo(60);
        assertThat(trees.transferred()).isEqualTo(9);
        assertThat(trees.transfers()).isEqualTo(12);
        assertThat(trees.transferredRatio()).isEqualTo(0.15);
        assertThat(trees.meanHops()).isCloseTo(1.333, org.assertj.core.data.Offset.offset(0.001));
        assertThat(trees.paths()).containsExactly(
                new Scorecards.TransferPath("parks", "sanitation", "wrong-department-in-catalog", 7),
                new Scorecards.TransferPath("sanitation", "parks", "other", 3),
                new Scorecards.TransferPath("parks", "transportation", "wrong-service-chosen-at-intake", 2));
        // and the others follow by share transferred, neither a problem
        assertThat(runaround.services()).extracting(Scorecards.ServiceRunaround::serviceCode)
                .containsExactly("tree-damage", "graffiti", "pothole");
        assertThat(runaround.services()).filteredOn(Scorecards.ServiceRunaround::catalogProblem).hasSize(1);
        assertThat(runaround.from()).isEqualTo(FROM);
    }

    @Test
    void shouldGiveNoShareForAServiceWithNothingRoutedInTheWindow() {
        // a request routed before the window and transferred in it
        transfers("noise", "police", "environmental-protection", "other", 1);
        count("city311_service_transferred", Map.of("service_code", "noise"), 1);

        Scorecards.ServiceRunaround noise = runaround().services().get(0);

        assertThat(noise.transferredRatio()).isNull();
        assertThat(noise.meanHops()).isEqualTo(1.0);
        assertThat(noise.catalogProblem()).isFalse();
        assertThat(List.of(noise.routed(), noise.transfers())).containsExactly(0L, 1L);
    }
}
