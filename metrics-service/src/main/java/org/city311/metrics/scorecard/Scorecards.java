package org.city311.metrics.scorecard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.city311.contracts.TransferReason;
import org.city311.metrics.servicelevel.ServiceLevelHistory;
import org.city311.metrics.servicelevel.ServiceLevelHistory.Window;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * Scorecards: every measure per department over a window, and the departments ranked by their customers; each
 * department's measures day by day (trends), and how long its resolutions took (a histogram).
 * <p>
 * Computing any of them reads every stored ledger ({@link ServiceLevelHistory}), so what the API answers is kept
 * for {@code city311.metrics.scorecards.freshness} (30 s): per window asked for, and per trend length. A window
 * whose end is not given ends when it is computed, so it is kept like any other.
 */
@Component
@EnableConfigurationProperties(ScorecardProperties.class)
public class Scorecards {

    /** The window when none is asked for: the last 30 days. */
    public static final Duration DEFAULT_WINDOW = Duration.ofDays(30);
    /** The measures of a trend when none is asked for: received, resolved, on time, satisfied. */
    public static final List<Measure> TREND_MEASURES = List.of(Measure.ROUTED, Measure.RESOLVED,
            Measure.RESOLVED_WITHIN_STANDARD_RATIO, Measure.SATISFACTION_MEAN);
    private static final String RESOLUTION_SECONDS = "city311_resolution_seconds";

    private final ServiceLevelHistory history;
    private final Clock clock;
    private final Duration freshness;
    private final FreshCache<Asked, Summary> summaries;
    private final FreshCache<Daily.Key, Daily> dailies;

    Scorecards(ServiceLevelHistory history, Clock clock, ScorecardProperties properties) {
        this.history = history;
        this.clock = clock;
        this.freshness = properties.freshness();
        this.summaries = new FreshCache<>(properties.freshness(), properties.cachedWindows(), clock);
        this.dailies = new FreshCache<>(properties.freshness(), properties.cachedWindows(), clock);
    }

    /**
     * A window as asked for.
     *
     * @param from its start; null for {@link #DEFAULT_WINDOW} before its end
     * @param to its end (excluded); null for the moment it is computed
     */
    public record Asked(Instant from, Instant to) {

        Instant end(Instant now) {
            return to != null ? to : now;
        }

        Instant start(Instant now) {
            return from != null ? from : end(now).minus(DEFAULT_WINDOW);
        }
    }

    /**
     * What is kept of a window: its scorecard, and each department's resolution times counted in the buckets of
     * {@code city311_resolution_seconds} (the last one beyond its last bound).
     */
    public record Summary(Scorecard scorecard, Map<String, long[]> resolutionCounts, Runaround runaround) {
    }

    /** At least this many transfers of a service in the window, and ... */
    static final int PROBLEM_TRANSFERS = 10;
    /** ... more than this share of its requests transferred: the catalog sends residents around. */
    static final double PROBLEM_TRANSFERRED_RATIO = 0.10;

    /**
     * The runaround per service over a window: which services' requests needed a transfer, and how many hops.
     *
     * @param services every service routed or transferred in the window, the catalog problems first, then by share
     *        transferred
     */
    public record Runaround(Instant from, Instant to, List<ServiceRunaround> services, List<TeamIntake> teams) {
    }

    /**
     * Misrouting at intake per filing team: where staff knowledge shows (beside the team's knowledge-check score).
     *
     * @param team the team's code ({@code none}: filings that named none, from outside or by staff without a team)
     * @param routed requests it filed that were routed a first time in the window
     * @param misroutedAtIntake transfers in the window made because the wrong service was chosen at intake
     * @param misroutedAtIntakeRatio misroutedAtIntake / routed (null without any routed)
     */
    public record TeamIntake(String team, long routed, long misroutedAtIntake, Double misroutedAtIntakeRatio) {
    }

    /** The transfer reason that counts as misrouted at intake. */
    static final String MISROUTED_AT_INTAKE = TransferReason.WRONG_SERVICE_CHOSEN_AT_INTAKE.wireName();

    /**
     * @param routed requests of the service routed in the window; {@code transferred} those transferred a first time
     *        in it, {@code transfers} every hop in it
     * @param transferredRatio transferred / routed (null without any routed)
     * @param meanHops transfers / transferred: how far a request that needed a transfer went (null without any)
     * @param catalogProblem at least {@value #PROBLEM_TRANSFERS} transfers and over 10 % transferred: its wording or
     *        its routing rule sends residents to the wrong department
     * @param paths the transfers that show it: between which departments, why, how many, most first
     */
    public record ServiceRunaround(String serviceCode, long routed, long transferred, long transfers,
            Double transferredRatio, Double meanHops, boolean catalogProblem, List<TransferPath> paths) {
    }

    public record TransferPath(String fromDepartment, String toDepartment, String reason, long transfers) {
    }

    /**
     * Each department's every measure, day by day (UTC days, the last one today, so far).
     *
     * @param byDay per day from {@code first}: department, then measure key, then value
     * @param departments every department with figures on any of the days, or open requests now
     */
    public record Daily(LocalDate first, List<Map<String, Map<String, Double>>> byDay, Set<String> departments) {

        record Key(LocalDate first, int days) {
        }
    }

    /** See {@link ServiceLevelHistory#ledgerChanges()}. */
    public long ledgerChanges() {
        return history.ledgerChanges();
    }

    /** How old a kept answer may be. */
    public Duration freshness() {
        return freshness;
    }

    /**
     * @param measures every {@link Measure} by its key (null where the window had nothing to measure)
     * @param satisfaction how many customers gave each score, 1 to 5 (audits not included)
     * @param now what is open and overdue at the moment of asking, whatever the window
     */
    public record DepartmentScorecard(String department, Map<String, Double> measures, Map<Integer, Long> satisfaction,
            Now now) {
    }

    public record Now(int open, int overdue, int followUpsOpen, int followUpsOverdue) {
    }

    /** A department's place by customer satisfaction (mean score, then share satisfied); unranked without any. */
    public record Ranking(Integer rank, String department, Double satisfactionMean, Double satisfiedRatio,
            long responses) {
    }

    public record Scorecard(Instant from, Instant to, List<DepartmentScorecard> departments, List<Ranking> ranking) {
    }

    public Mono<Window> window(Instant from, Instant to) {
        return history.window(from, to, clock.instant());
    }

    /** Several windows from one reading of the store (not kept). */
    public Mono<List<Window>> windows(List<ServiceLevelHistory.Span> spans) {
        return history.windows(spans, clock.instant());
    }

    /** The window's scorecard and resolution times, computed at most {@link #freshness()} ago. */
    public Mono<Summary> summary(Asked asked) {
        return summaries.get(asked, () -> Mono.defer(() -> {
            Instant now = clock.instant();
            return window(asked.start(now), asked.end(now)).map(Scorecards::summarise);
        }));
    }

    /**
     * The last {@code days} UTC days (today the last), each department's every measure per day, computed at most
     * {@link #freshness()} ago.
     */
    public Mono<Daily> daily(int days) {
        LocalDate first = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(days - 1L);
        return dailies.get(new Daily.Key(first, days), () -> history.days(first, days, clock.instant())
                .map(windows -> daily(first, windows)));
    }

    static Summary summarise(Window window) {
        Scorecard scorecard = of(window);
        double[] bounds = ServiceLevelHistory.bucketBounds(RESOLUTION_SECONDS);
        Map<String, long[]> counts = new TreeMap<>();
        for (DepartmentScorecard card : scorecard.departments()) {
            long[] buckets = new long[bounds.length + 1];
            for (double seconds : window.observed(RESOLUTION_SECONDS, Map.of("department", card.department()))) {
                // as Prometheus counts: a value equal to a bound is in that bound's bucket (le)
                int bucket = Arrays.binarySearch(bounds, seconds);
                buckets[bucket >= 0 ? bucket : -bucket - 1]++;
            }
            counts.put(card.department(), buckets);
        }
        return new Summary(scorecard, counts, runaround(window));
    }

    static Runaround runaround(Window window) {
        Map<String, double[]> byService = new TreeMap<>();
        Map<String, Map<List<String>, Double>> paths = new TreeMap<>();
        window.counts().getOrDefault("city311_service_routed", Map.of()).forEach((labels, count) ->
                byService.computeIfAbsent(labels.get("service_code"), code -> new double[3])[0] += count);
        window.counts().getOrDefault("city311_service_transferred", Map.of()).forEach((labels, count) ->
                byService.computeIfAbsent(labels.get("service_code"), code -> new double[3])[1] += count);
        window.counts().getOrDefault("city311_service_transfers", Map.of()).forEach((labels, count) -> {
            byService.computeIfAbsent(labels.get("service_code"), code -> new double[3])[2] += count;
            paths.computeIfAbsent(labels.get("service_code"), code -> new java.util.HashMap<>()).merge(
                    List.of(labels.get("from_department"), labels.get("to_department"), labels.get("reason")), count,
                    Double::sum);
        });
        List<ServiceRunaround> services = new ArrayList<>();
        byService.forEach((service, figures) -> {
            long routed = (long) figures[0];
            long transferred = (long) figures[1];
            long transfers = (long) figures[2];
            Double ratio = routed == 0 ? null : transferred / (double) routed;
            boolean problem = transfers >= PROBLEM_TRANSFERS && ratio != null && ratio > PROBLEM_TRANSFERRED_RATIO;
            List<TransferPath> shown = paths.getOrDefault(service, Map.of()).entrySet().stream()
                    .map(path -> new TransferPath(path.getKey().get(0), path.getKey().get(1), path.getKey().get(2),
                            path.getValue().longValue()))
                    .sorted(Comparator.comparingLong(TransferPath::transfers).reversed()
                            .thenComparing(TransferPath::fromDepartment).thenComparing(TransferPath::toDepartment)
                            .thenComparing(TransferPath::reason))
                    .toList();
            services.add(new ServiceRunaround(service, routed, transferred, transfers, ratio,
                    transferred == 0 ? null : transfers / (double) transferred, problem, shown));
        });
        services.sort(Comparator.comparing((ServiceRunaround service) -> !service.catalogProblem())
                .thenComparing(service -> service.transferredRatio() == null ? 0 : -service.transferredRatio())
                .thenComparing(ServiceRunaround::serviceCode));
        return new Runaround(window.from(), window.to(), services, teams(window));
    }

    static List<TeamIntake> teams(Window window) {
        Map<String, long[]> byTeam = new TreeMap<>();
        window.counts().getOrDefault("city311_team_routed", Map.of()).forEach((labels, count) ->
                byTeam.computeIfAbsent(labels.get("team"), team -> new long[2])[0] += count.longValue());
        window.counts().getOrDefault("city311_requests_misrouted", Map.of()).forEach((labels, count) -> {
            if (MISROUTED_AT_INTAKE.equals(labels.get("reason"))) {
                byTeam.computeIfAbsent(labels.get("team"), team -> new long[2])[1] += count.longValue();
            }
        });
        List<TeamIntake> teams = new ArrayList<>();
        byTeam.forEach((team, figures) -> teams.add(new TeamIntake(team, figures[0], figures[1],
                figures[0] == 0 ? null : figures[1] / (double) figures[0])));
        return teams;
    }

    static Daily daily(LocalDate first, List<Window> windows) {
        TreeSet<String> departments = new TreeSet<>();
        windows.forEach(window -> departments.addAll(departments(window)));
        List<Map<String, Map<String, Double>>> byDay = new ArrayList<>();
        for (Window window : windows) {
            Map<String, Map<String, Double>> day = new TreeMap<>();
            for (String department : departments) {
                Map<String, Double> measures = new LinkedHashMap<>();
                for (Measure measure : Measure.values()) {
                    measures.put(measure.key(), measure.of(window, department));
                }
                day.put(department, measures);
            }
            byDay.add(day);
        }
        return new Daily(first, byDay, Set.copyOf(departments));
    }

    static Scorecard of(Window window) {
        List<DepartmentScorecard> cards = departments(window).stream().map(department -> card(window, department))
                .toList();
        return new Scorecard(window.from(), window.to(), cards, rank(cards));
    }

    /** Every department with figures in the window, or open requests or follow-ups now. */
    private static TreeSet<String> departments(Window window) {
        TreeSet<String> departments = new TreeSet<>(window.openNow().keySet());
        departments.addAll(window.followUpsNow().keySet());
        window.counts().values().forEach(series -> series.keySet().forEach(labels -> {
            if (labels.containsKey("department")) {
                departments.add(labels.get("department"));
            }
        }));
        return departments;
    }

    static DepartmentScorecard card(Window window, String department) {
        Map<String, Double> measures = new LinkedHashMap<>();
        for (Measure measure : Measure.values()) {
            measures.put(measure.key(), measure.of(window, department));
        }
        Map<Integer, Long> satisfaction = new LinkedHashMap<>();
        for (int score = 1; score <= 5; score++) {
            satisfaction.put(score, 0L);
        }
        Measure.customerScores(window, department)
                .forEach(score -> satisfaction.merge((int) Math.round(score), 1L, Long::sum));
        int[] open = window.openNow().getOrDefault(department, new int[2]);
        int[] followUps = window.followUpsNow().getOrDefault(department, new int[2]);
        return new DepartmentScorecard(department, measures, satisfaction,
                new Now(open[0], open[1], followUps[0], followUps[1]));
    }

    private static List<Ranking> rank(List<DepartmentScorecard> cards) {
        List<DepartmentScorecard> rated = new ArrayList<>(cards.stream()
                .filter(card -> card.measures().get(Measure.SATISFACTION_MEAN.key()) != null).toList());
        rated.sort(Comparator.<DepartmentScorecard, Double>comparing(
                        card -> card.measures().get(Measure.SATISFACTION_MEAN.key())).reversed()
                .thenComparing(Comparator.<DepartmentScorecard, Double>comparing(
                        card -> card.measures().get(Measure.SATISFIED_RATIO.key())).reversed())
                .thenComparing(DepartmentScorecard::department));
        List<Ranking> ranking = new ArrayList<>();
        for (DepartmentScorecard card : rated) {
            ranking.add(new Ranking(ranking.size() + 1, card.department(),
                    card.measures().get(Measure.SATISFACTION_MEAN.key()),
                    card.measures().get(Measure.SATISFIED_RATIO.key()),
                    card.satisfaction().values().stream().mapToLong(Long::longValue).sum()));
        }
        cards.stream().filter(card -> !rated.contains(card))
                .forEach(card -> ranking.add(new Ranking(null, card.department(), null, null, 0)));
        return ranking;
    }
}
