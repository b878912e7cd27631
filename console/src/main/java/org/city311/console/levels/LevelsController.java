package org.city311.console.levels;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.city311.console.charts.SvgCharts;
import org.city311.console.upstream.Levels;
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

    static final String ON_TIME = "resolved-within-standard-ratio";
    static final String FIRST_ACTION = "first-actions-within-standard-ratio";
    static final String SATISFACTION = "satisfaction-mean";
    static final int TREND_WEEKS = 8;

    private final Upstream.AsUser services;
    private final Levels levels;
    private final Clock clock;
    private final ZoneId zone;

    LevelsController(Upstream.AsUser services, Levels levels, Clock clock, Times times) {
        this.services = services;
        this.levels = levels;
        this.clock = clock;
        this.zone = times.zone();
    }

    @GetMapping("/levels")
    Mono<String> page(@RequestParam(required = false) String department, Model model) {
        Instant now = clock.instant();
        Instant monthStart = LocalDate.now(clock.withZone(zone)).withDayOfMonth(1).atStartOfDay(zone).toInstant();
        Instant from = monthStart.isBefore(now) ? monthStart : now.minusSeconds(3600);
        Mono<List<Levels.Goal>> goals = levels.goals(services.metrics())
                .onErrorResume(WebClientResponseException.Forbidden.class, refused -> Mono.just(List.of()));
        return Mono.zip(levels.scorecard(services.metrics(), from, now), goals).flatMap(found -> {
            Levels.Scorecard card = found.getT1();
            model.addAttribute("scorecard", card);
            model.addAttribute("goals", found.getT2());
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
            return trend(department, now).map(points -> {
                model.addAttribute("trendChart", SvgCharts.trend("Resolved within standard, week by week: "
                        + department, points, null));
                return "levels";
            });
        });
    }

    /** The department's on-time share in each of the last weeks (one cached window per week in metrics-service). */
    private Mono<List<SvgCharts.Point>> trend(String department, Instant now) {
        List<Instant> starts = new ArrayList<>();
        for (int week = TREND_WEEKS; week >= 1; week--) {
            starts.add(now.minus(java.time.Duration.ofDays(7L * week)));
        }
        return Flux.fromIterable(starts)
                .concatMap(start -> levels.department(services.metrics(), department, start,
                                start.plus(java.time.Duration.ofDays(7)))
                        .map(card -> new SvgCharts.Point(label(start), card.measure(ON_TIME)))
                        .onErrorResume(WebClientResponseException.NotFound.class,
                                none -> Mono.just(new SvgCharts.Point(label(start), null))))
                .collectList();
    }

    private String label(Instant start) {
        return java.time.format.DateTimeFormatter.ofPattern("d MMM", java.util.Locale.ENGLISH).withZone(zone)
                .format(start);
    }

    static List<SvgCharts.Bar> bars(Levels.Scorecard card, String measure) {
        return card.departments().stream().filter(one -> one.measure(measure) != null)
                .sorted(Comparator.comparing((Levels.DepartmentScorecard one) -> one.measure(measure)).reversed())
                .map(one -> new SvgCharts.Bar(one.department(), one.measure(measure),
                        SvgCharts.percent(one.measure(measure)), one.measure(measure) < 0.8))
                .toList();
    }
}
