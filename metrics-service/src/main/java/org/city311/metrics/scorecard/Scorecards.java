package org.city311.metrics.scorecard;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.city311.metrics.servicelevel.ServiceLevelHistory;
import org.city311.metrics.servicelevel.ServiceLevelHistory.Window;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/** Scorecards: every measure per department over a window, and the departments ranked by their customers. */
@Component
public class Scorecards {

    private final ServiceLevelHistory history;
    private final Clock clock;

    Scorecards(ServiceLevelHistory history, Clock clock) {
        this.history = history;
        this.clock = clock;
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

    public Mono<Scorecard> scorecard(Instant from, Instant to) {
        return window(from, to).map(Scorecards::of);
    }

    static Scorecard of(Window window) {
        TreeSet<String> departments = new TreeSet<>(window.openNow().keySet());
        departments.addAll(window.followUpsNow().keySet());
        window.counts().values().forEach(series -> series.keySet().forEach(labels -> {
            if (labels.containsKey("department")) {
                departments.add(labels.get("department"));
            }
        }));
        List<DepartmentScorecard> cards = departments.stream().map(department -> card(window, department)).toList();
        return new Scorecard(window.from(), window.to(), cards, rank(cards));
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
