package org.city311.deploy.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class StormBenchTests {

    @Test
    void shouldDrawTheStormFromNyc311sPublishedSharesOfAgenciesAndChannels() {
        assertThat(StormBench.DEPARTMENT_MIX.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
        assertThat(StormBench.DEPARTMENT_MIX).containsEntry("police", 26).containsEntry("housing", 26)
                .containsEntry("transportation", 13).containsEntry("sanitation", 8);
        assertThat(StormBench.CHANNEL_MIX.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
        assertThat(StormBench.CHANNEL_MIX).containsEntry("phone", 50).containsEntry("web", 18)
                .containsEntry("mobile", 8);
    }

    @Test
    void shouldAnswerEveryRequiredQuestionInItsDatatypeAndLeaveTheOptionalOnes() {
        var attributes = JsonMapper.builder().build().readTree("""
                [{"code":"light","datatype":"singlevaluelist","required":true,"variable":true,
                  "values":[{"key":"out","name":"Out"},{"key":"flickering","name":"Flickering"}]},
                 {"code":"rooms","datatype":"multivaluelist","required":true,"variable":true,
                  "values":[{"key":"kitchen","name":"Kitchen"}]},
                 {"code":"count","datatype":"number","required":true,"variable":true},
                 {"code":"seen","datatype":"datetime","required":true,"variable":true},
                 {"code":"business","datatype":"string","required":true,"variable":true},
                 {"code":"pole","datatype":"string","required":false,"variable":true},
                 {"code":"note","datatype":"text","required":true,"variable":false}]
                """);

        Map<String, Object> answers = StormBench.answers(attributes);

        assertThat(answers).containsOnlyKeys("light", "rooms", "count", "seen", "business");
        assertThat(answers).containsEntry("light", "out").containsEntry("rooms", List.of("kitchen"))
                .containsEntry("count", 1).containsEntry("business", "storm");
    }

    @Test
    void shouldAddUpACounterOverAllItsSeriesFromPrometheusText() {
        String text = """
                # TYPE city311_requests_created_total counter
                city311_requests_created_total{channel="phone",partition="0"} 2006.0
                city311_requests_created_total{channel="web",partition="1"} 14.0
                city311_requests_created_other 5.0
                """;

        assertThat(StormBench.sum(text, "city311_requests_created_total")).isEqualTo(2020.0);
    }

    @Test
    void shouldSayTheBacklogGrewWhenMetricsServiceCountedLessThanWasFiled() {
        StormBench.Settings settings = StormBench.Settings.of(Map.of("rate", "100", "ceilings", "false"));
        Window.Closed steady = new Window.Closed(20, 2000,
                Map.of("mongo_wire_store_commands_total{database=\"city311_requests\",collection=\"requests\","
                        + "command=\"insert\"}", 2000L,
                        "mongo_wire_store_commands_total{database=\"city311_routing\",collection=\"work\","
                                + "command=\"update\"}", 4000L), 6000, 1500, Map.of("store", 90.0),
                Map.of("store", 400L));
        List<StormBench.Sample> samples = List.of(new StormBench.Sample(0, 0, 0, 0, 0),
                new StormBench.Sample(10, 1000, 1000, 900, 900), new StormBench.Sample(30, 3000, 3000, 2000, 1500));
        Report report = new Report(settings, new StormBench(settings, Map.of()), samples, steady, 30, 5, 1500, 3000,
                null);

        String markdown = report.markdown();

        assertThat(markdown).contains("| Backlog not yet routed / not yet counted over the window | 100 → 1,000 / "
                + "100 → 1,500: GREW |")
                .contains("**not sustained at 100/s** (routed 55.0/s, counted 30.0/s)")
                .contains("| **Store commands per filed request** | **3.00** (6,000 commands for 2,000 requests; "
                        + "4.00 writes per commit) |")
                .contains("city311_routing 2.00; city311_requests 1.00;");
    }

    @Test
    void shouldNotCallAStormSustainedWhileRoutingFallsBehindThoughMetricsServiceKeepsUp() {
        StormBench.Settings settings = StormBench.Settings.of(Map.of("rate", "20", "ceilings", "false"));
        List<StormBench.Sample> samples = List.of(new StormBench.Sample(0, 0, 0, 0, 0),
                new StormBench.Sample(10, 200, 200, 180, 200), new StormBench.Sample(70, 1400, 1400, 560, 1398));
        Report report = new Report(settings, new StormBench(settings, Map.of()), samples, null, 70, 5, 2, 1400,
                null);

        assertThat(report.markdown()).contains("**not sustained at 20.0/s** (routed 8.0/s, counted 20.0/s)");
    }

    @Test
    void shouldNotCountFilingsAnsweredWithATokenAsWaitingToBeRouted() {
        // given a storm where a tenth of the filings go to a batch service, answered with a token (no number to follow)
        StormBench.Settings settings = StormBench.Settings.of(Map.of("rate", "20", "ceilings", "false"));
        List<StormBench.Sample> samples = List.of(new StormBench.Sample(0, 0, 0, 0, 0),
                new StormBench.Sample(10, 200, 180, 175, 198), new StormBench.Sample(70, 1400, 1260, 1254, 1397));
        Report report = new Report(settings, new StormBench(settings, Map.of()), samples, null, 70, 5, 3, 1400,
                null);

        // then the backlog of those not yet routed is the numbered ones', and the storm is sustained
        assertThat(report.markdown()).contains("| Backlog not yet routed / not yet counted over the window | 0 → 6 / "
                + "0 → 3: held |").contains("| **Sustained end to end** | **17.9 requests/s** |");
    }

    @Test
    void shouldNameTheFilingSecondsWhoseRequestsWaitedLongestToBeRouted() {
        // given a storm whose requests are routed in 300 ms, but for a stall of the ones filed at second 40
        StormBench.Settings settings = StormBench.Settings.of(Map.of("rate", "10", "ceilings", "false"));
        StormBench bench = new StormBench(settings, Map.of());
        for (int second = 0; second < 60; second++) {
            for (int i = 0; i < 10; i++) {
                bench.routedAfter(second + i / 10.0, second == 40 ? 1500 + 100 * i : 300 + i);
            }
        }
        List<StormBench.Sample> samples = List.of(new StormBench.Sample(0, 0, 0, 0, 0),
                new StormBench.Sample(60, 600, 600, 600, 600));
        Window.Closed steady = new Window.Closed(30, 300, Map.of(), 0, 0, Map.of(), Map.of());
        Report report = new Report(settings, bench, samples, steady, 60, 1, 0, 600, null);

        // then the report points at that second, with how many waited over a second, ahead of the ordinary ones
        assertThat(report.markdown()).contains("| Slowest filing seconds to route, steady window (max; how many over "
                + "1 s) | at 40 s: 2,400 ms (10); at 30 s: 309 ms (0);")
                .contains("10 requests over 1 s in all |");
    }

    @Test
    void shouldSayWhenOpen311sPerAddressLimitAndNotThePlatformRefusedFilings() {
        StormBench.Settings settings = StormBench.Settings.of(Map.of("rate", "60", "ceilings", "false"));
        StormBench bench = new StormBench(settings, Map.of());
        bench.refusedByStatus().computeIfAbsent(429, status -> new AtomicLong()).addAndGet(533);
        List<StormBench.Sample> samples = List.of(new StormBench.Sample(0, 0, 0, 0, 0),
                new StormBench.Sample(60, 3000, 3000, 3000, 3000));
        Report report = new Report(settings, bench, samples, null, 60, 1, 0, 3000, null);

        assertThat(report.markdown()).contains("| Refused over Open311's per-address limit | 533: the bench files from "
                + "one address; to offer more than about 38/s, start ./run.sh with "
                + "CITY311_OPEN311_RATELIMIT_PERADDRESS=100000 |");
    }

    @Test
    void shouldReadTheLabelsOfAStoreCounterSeries() {
        String series = "mongo_wire_store_commands_total{database=\"city311_routing\",collection=\"work\","
                + "command=\"findandmodify\"}";

        assertThat(Window.label(series, "database")).isEqualTo("city311_routing");
        assertThat(Window.label(series, "collection")).isEqualTo("work");
        assertThat(Window.label(series, "command")).isEqualTo("findandmodify");
    }
}
