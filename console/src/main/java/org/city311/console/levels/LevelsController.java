package org.city311.console.levels;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import reactor.core.publisher.Mono;

import org.city311.console.charts.SvgCharts;
import org.city311.console.upstream.Ideas;
import org.city311.console.upstream.Levels;
import org.city311.console.upstream.Measure;
import org.city311.console.upstream.Upstream;
import org.city311.console.web.Times;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * Service levels for every signed-in role: this month's scorecard of each department against its published
 * standards, the ranking by customer satisfaction, the goals with their quality guards, and a department's
 * trend week by week. Figures come from metrics-service's scorecards, which it caches per window.
 */
@Controller
class LevelsController {

    /** The measure of the on-time chart and the trend. */
    static final Measure ON_TIME = Measure.RESOLVED_WITHIN_STANDARD_RATIO;
    static final int TREND_DAYS = 30;

    private final Upstream.AsUser services;
    private final Ideas ideas;
    private final Levels levels;
    private final Times times;

    LevelsController(Upstream.AsUser services, Levels levels, Ideas ideas, Times times) {
        this.ideas = ideas;
        this.services = services;
        this.levels = levels;
        this.times = times;
    }

    @GetMapping("/levels")
    Mono<String> page(@RequestParam(required = false) String department, Model model) {
        Instant from = times.monthStart();
        Mono<List<Levels.Goal>> goals = levels.goals(services.metrics())
                .onErrorResume(WebClientResponseException.Forbidden.class, refused -> Mono.just(List.of()));
        // staff ideas per department (feedback-service): the page opens without them
        Mono<Ideas.Summary> ideasSummary = ideas.summary(services.feedback()).onErrorResume(Upstream::unavailable,
                unavailable -> Mono.just(new Ideas.Summary(0, List.of())));
        // misrouting at intake per filing team over 30 days (metrics-service's cached runaround)
        Mono<List<Levels.TeamIntake>> teams = levels.runaround(services.metrics()).map(Levels.Runaround::teams)
                .onErrorResume(Upstream::unavailable, unavailable -> Mono.just(List.of()));
        return Mono.zip(levels.scorecard(services.metrics(), from), goals, ideasSummary, teams).flatMap(found -> {
            Levels.Scorecard card = found.getT1();
            model.addAttribute("scorecard", card);
            model.addAttribute("goals", found.getT2());
            model.addAttribute("ideas", found.getT3());
            model.addAttribute("intakeTeams", found.getT4());
            model.addAttribute("onTimeChart", SvgCharts.bars("Requests resolved within the published standard, this month",
                    bars(card, ON_TIME), 1.0, null));
            model.addAttribute("rankingChart", SvgCharts.bars("Customer satisfaction (mean score of 5), this month",
                    card.ranking().stream().filter(rank -> rank.satisfactionMean() != null)
                            .map(rank -> new SvgCharts.Bar(rank.department(), rank.satisfactionMean(),
                                    String.format(java.util.Locale.ROOT, "%.1f (%d answers)", rank.satisfactionMean(),
                                            rank.responses()), rank.satisfactionMean() < 3))
                            .toList(), 5.0, null));
            model.addAttribute("department", department);
            if (department == null || department.isBlank()) {
                return Mono.just("levels");
            }
            Mono<Optional<Levels.Trend>> trend = levels.trend(services.metrics(), department, TREND_DAYS, ON_TIME)
                    .map(Optional::of)
                    .onErrorResume(WebClientResponseException.NotFound.class, none -> Mono.just(Optional.empty()));
            Mono<Optional<Levels.ResolutionTimes>> times = levels.resolutionTimes(services.metrics(), department, from)
                    .map(Optional::of)
                    .onErrorResume(WebClientResponseException.NotFound.class, none -> Mono.just(Optional.empty()));
            return Mono.zip(trend, times).map(charts -> {
                charts.getT1().ifPresent(days -> model.addAttribute("trendChart", SvgCharts.trend(
                        "Resolved within standard, day by day, last " + TREND_DAYS + " days: " + department,
                        days.points().stream().map(point -> new SvgCharts.Point(point.date().substring(5),
                                point.values().get(ON_TIME.key()))).toList(), null)));
                charts.getT2().ifPresent(histogram -> model.addAttribute("histogramChart", SvgCharts.bars(
                        "How long resolutions took this month: " + department, histogram.buckets().stream()
                                .map(bucket -> new SvgCharts.Bar(bucketLabel(bucket), bucket.count(),
                                        String.valueOf(bucket.count()), false))
                                .toList(), Math.max(1, histogram.buckets().stream().mapToLong(Levels.Bucket::count)
                                .max().orElse(1)), null)));
                return "levels";
            });
        });
    }

    static String bucketLabel(Levels.Bucket bucket) {
        return bucket.toSeconds() == null ? "over " + duration(bucket.fromSeconds()) : "up to " + duration(bucket.toSeconds());
    }

    private static String duration(long seconds) {
        if (seconds < 3600) {
            return seconds / 60 + " min";
        }
        if (seconds < 2 * 86400) {
            return seconds / 3600 + " h";
        }
        return seconds / 86400 + " d";
    }

    static List<SvgCharts.Bar> bars(Levels.Scorecard card, Measure measure) {
        return card.departments().stream().filter(one -> one.measure(measure) != null)
                .sorted(Comparator.comparing((Levels.DepartmentScorecard one) -> one.measure(measure)).reversed())
                .map(one -> new SvgCharts.Bar(one.department(), one.measure(measure),
                        SvgCharts.percent(one.measure(measure)), one.measure(measure) < 0.8))
                .toList();
    }
}
