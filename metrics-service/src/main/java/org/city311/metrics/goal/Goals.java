package org.city311.metrics.goal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.city311.metrics.goal.GoalProperties.Goal;
import org.city311.metrics.scorecard.FreshCache;
import org.city311.metrics.scorecard.Measure;
import org.city311.metrics.scorecard.Scorecards;
import org.city311.metrics.servicelevel.LeadInstance;
import org.city311.metrics.servicelevel.PartitionsFolded;
import org.city311.metrics.servicelevel.ServiceLevelHistory.Span;
import org.city311.metrics.servicelevel.ServiceLevelHistory.Window;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * The goals' progress, and the cobra-effect guard: a speed or volume goal that improves while its paired quality
 * measure gets worse by more than its threshold is flagged, with the reason, so that nobody is rewarded for closing
 * requests fast and badly. Exposed as {@code city311_goal_progress_ratio{goal}} and
 * {@code city311_goal_guard_tripped{goal}} by the lead instance only (see {@link LeadInstance}).
 */
@Component
@EnableConfigurationProperties(GoalProperties.class)
class Goals implements MultiCollector {

    static final String PROGRESS = "city311_goal_progress_ratio";
    static final String GUARD_TRIPPED = "city311_goal_guard_tripped";
    private static final Logger log = LoggerFactory.getLogger(Goals.class);

    private final List<Goal> goals;
    private final Scorecards scorecards;
    private final LeadInstance lead;
    private final Clock clock;
    private final FreshCache<Boolean, List<GoalStatus>> answers;
    private final Duration idleRefresh;
    private final AtomicLong computations = new AtomicLong();
    private volatile List<GoalStatus> latest = List.of();
    private volatile Computed computed;

    Goals(GoalProperties properties, Scorecards scorecards, LeadInstance lead, Clock clock,
            PrometheusRegistry prometheus, @Value("${city311.metrics.refresh-idle:1h}") Duration idleRefresh) {
        properties.goals().forEach(Goals::check);
        this.goals = properties.goals();
        this.scorecards = scorecards;
        this.lead = lead;
        this.clock = clock;
        this.idleRefresh = idleRefresh;
        this.answers = new FreshCache<>(scorecards.freshness(), 1, clock);
        prometheus.register(this);
    }

    /**
     * @param progressRatio how far from the baseline towards the target: 0 at the baseline, 1 at the target,
     *        negative when it went the wrong way; null until both are measurable
     */
    record GoalStatus(String id, GoalProperties.Kind kind, String title, String department, String measure,
            Instant from, Instant to, Double baseline, Double target, Double current, Double progressRatio,
            GuardStatus guard) {
    }

    record GuardStatus(String measure, Double baseline, Double current, double threshold, boolean tripped,
            String reason) {
    }

    /** Refuses a goal that cannot be measured, or a speed or volume goal without a quality guard. */
    static void check(Goal goal) {
        String name = "Goal '" + goal.id() + "': ";
        if (goal.id() == null || !goal.id().matches("[a-z0-9][a-z0-9-]{0,63}")) {
            throw new IllegalStateException(name + "id must be lower-case letters, digits and hyphens");
        }
        if (goal.kind() == null || goal.department() == null || goal.period() == null
                || goal.period().from() == null || goal.period().to() == null
                || !goal.period().from().isBefore(goal.period().to())) {
            throw new IllegalStateException(name + "needs a kind, an owner department and a period (from before to)");
        }
        Measure measure = measure(name, goal.measure());
        if ((goal.target() == null) == (goal.targetChange() == null)) {
            throw new IllegalStateException(name + "give either target or targetChange");
        }
        if (goal.target() != null && goal.baseline() != null && goal.target().equals(goal.baseline())) {
            throw new IllegalStateException(name + "the target equals the baseline");
        }
        if (measure.kind() != Measure.Kind.QUALITY) {
            if (goal.guard() == null || goal.guard().measure() == null) {
                throw new IllegalStateException(name + measure.key() + " is a " + measure.kind().name().toLowerCase()
                        + " measure: pair it with a quality guard (reopen-rate, satisfaction-mean, resolved-yes-rate"
                        + ", ...) so that it cannot improve by serving residents worse");
            }
            if (measure(name, goal.guard().measure()).kind() != Measure.Kind.QUALITY) {
                throw new IllegalStateException(name + "the guard " + goal.guard().measure()
                        + " is not a quality measure");
            }
            if (goal.guard().threshold() < 0) {
                throw new IllegalStateException(name + "the guard's threshold cannot be negative");
            }
        }
    }

    private static Measure measure(String name, String key) {
        try {
            return Measure.byKey(key);
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalStateException(name + ex.getMessage());
        }
    }

    /** The goals as computed at most the scorecards' freshness ago: what {@code GET /api/goals} answers. */
    Mono<List<GoalStatus>> current() {
        return answers.get(Boolean.TRUE, this::evaluate);
    }

    /** Every goal computed now, from one reading of the store for all their windows. */
    Mono<List<GoalStatus>> evaluate() {
        if (goals.isEmpty()) {
            return Mono.just(List.of());
        }
        Instant now = clock.instant();
        List<Plan> plans = goals.stream().map(goal -> plan(goal, now)).toList();
        Set<Span> spans = new LinkedHashSet<>();
        plans.forEach(plan -> {
            if (plan.current() != null) {
                spans.add(plan.current());
            }
            spans.add(plan.baseline());
        });
        List<Span> ordered = List.copyOf(spans);
        Computed started = new Computed(now, scorecards.ledgerChanges());
        return scorecards.windows(ordered).map(windows -> {
            Map<Span, Window> bySpan = new HashMap<>();
            for (int i = 0; i < ordered.size(); i++) {
                bySpan.put(ordered.get(i), windows.get(i));
            }
            return plans.stream().map(plan -> status(plan.goal(), plan.from(), plan.to(),
                    plan.current() == null ? null : bySpan.get(plan.current()), bySpan.get(plan.baseline())))
                    .toList();
        }).doOnNext(statuses -> {
            latest = statuses;
            computed = started;
            computations.incrementAndGet();
        });
    }

    /**
     * The gauges computed again, every {@code city311.metrics.refresh} (5 min) while ledgers are written, and every
     * {@code city311.metrics.refresh-idle} (1 h) while nothing is: each computation reads every ledger, and with
     * nothing folded since the last one only the figures that follow the clock (overdue now) can have changed. (On
     * an instance whose partitions get no events while others' do, the gauges lag by that hour at most.)
     */
    @Scheduled(initialDelayString = "${city311.metrics.refresh:5m}", fixedDelayString = "${city311.metrics.refresh:5m}")
    void refresh() {
        if (goals.isEmpty()) {
            return;
        }
        long changes = scorecards.ledgerChanges();
        Computed last = computed;
        if (last != null && last.ledgerChanges() == changes
                && clock.instant().isBefore(last.at().plus(idleRefresh))) {
            return; // nothing folded since: the gauges stand
        }
        evaluate().block(Duration.ofMinutes(5));
    }

    /** When the gauges were last computed, and the ledger writes seen then. */
    private record Computed(Instant at, long ledgerChanges) {
    }

    /** Computations of every goal since start (tests wait on it). */
    long computations() {
        return computations.get();
    }

    /**
     * The first computation after a start (and after each rebalance): as soon as the fold has caught up with the
     * partitions it was given, not a refresh period later, so that a restart does not blank the gauges. Runs on the
     * store driver's threads, not on the consumer's that announces it.
     */
    @EventListener
    void on(PartitionsFolded folded) {
        if (goals.isEmpty()) {
            return;
        }
        evaluate().subscribe(
                statuses -> log.info("Goals computed once the fold caught up with partitions {}", folded.partitions()),
                failure -> log.warn("Could not compute the goals ({}); the next refresh tries again",
                        failure.getMessage()));
    }

    /**
     * The windows a goal is measured over.
     *
     * @param current its period so far; null before it starts (nothing to measure yet)
     */
    private record Plan(Goal goal, Instant from, Instant to, Span current, Span baseline) {
    }

    private static Plan plan(Goal goal, Instant now) {
        Instant from = goal.period().from().atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = goal.period().to().atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = now.isBefore(end) ? now : end;
        Instant baselineFrom = goal.baselinePeriod() != null
                ? goal.baselinePeriod().from().atStartOfDay(ZoneOffset.UTC).toInstant()
                : from.minus(Duration.between(from, end));
        Instant baselineTo = goal.baselinePeriod() != null
                ? goal.baselinePeriod().to().atStartOfDay(ZoneOffset.UTC).toInstant() : from;
        return new Plan(goal, from, to, to.isAfter(from) ? new Span(from, to) : null,
                new Span(baselineFrom, baselineTo));
    }

    static GoalStatus status(Goal goal, Instant from, Instant to, Window current, Window before) {
        Measure measure = Measure.byKey(goal.measure());
        Double baseline = goal.baseline() != null ? goal.baseline() : measure.of(before, goal.department());
        Double target = goal.target() != null ? goal.target()
                : baseline == null ? null : baseline * (1 + goal.targetChange());
        Double now = current == null ? null : measure.of(current, goal.department());
        Double progress = baseline == null || target == null || now == null || target.equals(baseline) ? null
                : (now - baseline) / (target - baseline);
        GuardStatus guard = null;
        if (goal.guard() != null) {
            Measure pair = Measure.byKey(goal.guard().measure());
            Double pairBaseline = goal.guard().baseline() != null ? goal.guard().baseline()
                    : pair.of(before, goal.department());
            Double pairNow = current == null ? null : pair.of(current, goal.department());
            boolean tripped = false;
            String reason = null;
            if (progress != null && progress > 0 && pairBaseline != null && pairNow != null) {
                double worse = Boolean.FALSE.equals(pair.higherIsBetter()) ? pairNow - pairBaseline
                        : pairBaseline - pairNow;
                if (worse > goal.guard().threshold()) {
                    tripped = true;
                    reason = String.format(java.util.Locale.ROOT,
                            "%s improved (%.0f%% of the way to the target) while %s got worse, from %.3f to %.3f: "
                                    + "more than the %.3f allowed",
                            measure.key(), progress * 100, pair.key(), pairBaseline, pairNow, goal.guard().threshold());
                }
            }
            guard = new GuardStatus(pair.key(), pairBaseline, pairNow, goal.guard().threshold(), tripped, reason);
        }
        return new GoalStatus(goal.id(), goal.kind(), goal.title(), goal.department(), measure.key(), from, to,
                baseline, target, now, progress, guard);
    }

    @Override
    public MetricSnapshots collect() {
        GaugeSnapshot.Builder progress = GaugeSnapshot.builder().name(PROGRESS)
                .help("Progress of each goal from its baseline (0) to its target (1); negative when it went the wrong way");
        GaugeSnapshot.Builder tripped = GaugeSnapshot.builder().name(GUARD_TRIPPED)
                .help("1 when a goal's measure improved while its paired quality measure got worse beyond its threshold");
        if (lead.isLead()) {
            Set<String> seen = new HashSet<>();
            for (GoalStatus status : latest) {
                if (!seen.add(status.id())) {
                    continue;
                }
                Labels labels = Labels.of("goal", status.id(), "department", status.department());
                if (status.progressRatio() != null) {
                    progress.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels)
                            .value(status.progressRatio()).build());
                }
                tripped.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels)
                        .value(status.guard() != null && status.guard().tripped() ? 1 : 0).build());
            }
        }
        return new MetricSnapshots(List.of(progress.build(), tripped.build()));
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of(PROGRESS, GUARD_TRIPPED);
    }

    List<GoalStatus> latest() {
        return new ArrayList<>(latest);
    }
}
