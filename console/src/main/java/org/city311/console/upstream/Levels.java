package org.city311.console.upstream;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import reactor.core.publisher.Mono;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

/** metrics-service's scorecards and goals, as the service-level and department pages show them. */
@Component
public class Levels {

    public record Now(int open, int overdue, int followUpsOpen, int followUpsOverdue) {
    }

    public record DepartmentScorecard(String department, Map<String, Double> measures, Map<Integer, Long> satisfaction,
            Now now) {

        public DepartmentScorecard {
            measures = measures == null ? Map.of() : measures;
            satisfaction = satisfaction == null ? Map.of() : satisfaction;
        }

        public Double measure(Measure measure) {
            return measures.get(measure.key());
        }

        // The measures the pages show, one method each: a misspelt one in a template fails its rendering (the
        // browser test renders every page) instead of showing "—".

        public Double routed() {
            return measure(Measure.ROUTED);
        }

        public Double resolved() {
            return measure(Measure.RESOLVED);
        }

        public Double reopened() {
            return measure(Measure.REOPENED);
        }

        public Double firstActionsWithinStandardRatio() {
            return measure(Measure.FIRST_ACTIONS_WITHIN_STANDARD_RATIO);
        }

        public Double resolvedWithinStandardRatio() {
            return measure(Measure.RESOLVED_WITHIN_STANDARD_RATIO);
        }

        public Double satisfactionMean() {
            return measure(Measure.SATISFACTION_MEAN);
        }

        public Double routedRightFirstTimeRatio() {
            return measure(Measure.ROUTED_RIGHT_FIRST_TIME_RATIO);
        }

        public Double misroutedAtIntake() {
            return measure(Measure.MISROUTED_AT_INTAKE);
        }
    }

    public record Ranking(Integer rank, String department, Double satisfactionMean, Double satisfiedRatio,
            long responses) {
    }

    public record Scorecard(Instant from, Instant to, List<DepartmentScorecard> departments, List<Ranking> ranking) {

        public Scorecard {
            departments = departments == null ? List.of() : departments;
            ranking = ranking == null ? List.of() : ranking;
        }
    }

    public record Guard(String measure, Double baseline, Double current, double threshold, boolean tripped,
            String reason) {
    }

    public record Goal(String id, String kind, String title, String department, String measure, Instant from,
            Instant to, Double baseline, Double target, Double current, Double progressRatio, Guard guard) {
    }

    public record TrendPoint(String date, Map<String, Double> values) {
    }

    public record Trend(String department, List<String> measures, List<TrendPoint> points) {

        public Trend {
            points = points == null ? List.of() : points;
        }
    }

    public record Bucket(long fromSeconds, Long toSeconds, long count) {
    }

    public record ResolutionTimes(String department, long count, List<Bucket> buckets) {

        public ResolutionTimes {
            buckets = buckets == null ? List.of() : buckets;
        }
    }

    public record TransferPath(String fromDepartment, String toDepartment, String reason, long transfers) {
    }

    public record ServiceRunaround(String serviceCode, long routed, long transferred, long transfers,
            Double transferredRatio, Double meanHops, boolean catalogProblem, List<TransferPath> paths) {

        public ServiceRunaround {
            paths = paths == null ? List.of() : paths;
        }
    }

    public record Runaround(Instant from, Instant to, List<ServiceRunaround> services, List<TeamIntake> teams) {

        public Runaround {
            services = services == null ? List.of() : services;
            teams = teams == null ? List.of() : teams;
        }

        /** A filing team's misrouting at intake, if it filed anything in the window. */
        public java.util.Optional<TeamIntake> team(String code) {
            return teams.stream().filter(team -> team.team().equals(code)).findFirst();
        }

        /** The services whose wording or routing rule sends residents around, worst first. */
        public List<ServiceRunaround> catalogProblems() {
            return services.stream().filter(ServiceRunaround::catalogProblem).toList();
        }
    }

    /** A filing team's requests routed in the window, and those transferred as the wrong service chosen at intake. */
    public record TeamIntake(String team, long routed, long misroutedAtIntake, Double misroutedAtIntakeRatio) {
    }

    /** The runaround per service over the last 30 days (metrics-service's default window: one cached answer). */
    public Mono<Runaround> runaround(WebClient metrics) {
        return metrics.get().uri("/api/runaround").retrieve().bodyToMono(Runaround.class);
    }

    /*
     * Windows end "now" by leaving {@code to} out: metrics-service caches each window it is asked for, and a window
     * ending at this instant would be a new one (a full read of its ledgers) at every page load.
     */

    /** Every department's scorecard from {@code from} to now. */
    public Mono<Scorecard> scorecard(WebClient metrics, Instant from) {
        return metrics.get().uri(uri -> uri.path("/api/scorecards").queryParam("from", from.toString()).build())
                .retrieve().bodyToMono(Scorecard.class);
    }

    public Mono<DepartmentScorecard> department(WebClient metrics, String department, Instant from) {
        return metrics.get().uri(uri -> uri.path("/api/scorecards/{department}").queryParam("from", from.toString())
                .build(department)).retrieve().bodyToMono(DepartmentScorecard.class);
    }

    /** The department's measures day by day over the last {@code days}. */
    public Mono<Trend> trend(WebClient metrics, String department, int days, Measure... measures) {
        String names = Arrays.stream(measures).map(Measure::key).collect(Collectors.joining(","));
        return metrics.get().uri(uri -> uri.path("/api/scorecards/{department}/trend").queryParam("days", days)
                .queryParam("measure", names).build(department)).retrieve()
                .bodyToMono(Trend.class);
    }

    public Mono<ResolutionTimes> resolutionTimes(WebClient metrics, String department, Instant from) {
        return metrics.get().uri(uri -> uri.path("/api/scorecards/{department}/resolution-times")
                .queryParam("from", from.toString()).build(department)).retrieve().bodyToMono(ResolutionTimes.class);
    }

    public Mono<List<Goal>> goals(WebClient metrics) {
        return metrics.get().uri("/api/goals").retrieve().bodyToMono(new ParameterizedTypeReference<List<Goal>>() {
        });
    }
}
