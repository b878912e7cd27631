package org.city311.routing.quiz;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

import reactor.core.publisher.Mono;

import org.city311.platform.security.Caller;
import org.city311.platform.security.Role;
import org.city311.platform.web.Problems;
import org.city311.routing.catalog.Catalog;
import org.city311.routing.catalog.ServiceCatalog;
import org.city311.routing.catalog.ServiceChanges;
import org.springframework.stereotype.Service;

/**
 * The knowledge check: a fresh one for whoever asks, handed in once, marked against the answers it was generated
 * with; each person's history; a team's standing for its supervisors. A person's checks are theirs and their
 * supervisor's to see, nobody else's.
 */
@Service
class Quizzes {

    /** How far back a supervisor's page and a person's standing look for checks. */
    static final Duration YEAR = Duration.ofDays(365);

    private final QuizStore store;
    private final QuizTally tally;
    private final ServiceCatalog catalog;
    private final ServiceChanges changes;
    private final QuizProperties properties;
    private final Clock clock;

    Quizzes(QuizStore store, QuizTally tally, ServiceCatalog catalog, ServiceChanges changes,
            QuizProperties properties, Clock clock) {
        this.store = store;
        this.tally = tally;
        this.catalog = catalog;
        this.changes = changes;
        this.properties = properties;
        this.clock = clock;
    }

    /** A person's checks, and whether the next one is due. */
    record Standing(List<QuizStore.Check> history, Instant lastCheckAt, Long requiredEveryDays, Instant dueAt,
            boolean due) {
    }

    /** A team's checks for its supervisors: each member's, and the team's share of right answers. */
    record TeamStanding(String team, long windowDays, List<Member> members, long answers, long right) {

        @com.fasterxml.jackson.annotation.JsonProperty("ratio")
        public double ratio() {
            return answers == 0 ? 0 : (double) right / answers;
        }
    }

    /**
     * @param checks handed in within a year
     * @param answers answered within the window, of which {@code right}
     */
    record Member(String person, String name, int checks, Instant lastCheckAt, int lastCorrect, int lastTotal,
            long answers, long right) {

        @com.fasterxml.jackson.annotation.JsonProperty("ratio")
        public double ratio() {
            return answers == 0 ? 0 : (double) right / answers;
        }
    }

    /**
     * The team a person's checks count for, as stored: their token's team ({@code team:call-centre}), else their
     * department ({@code department:parks}); two namespaces, so that a team named like a department is not its.
     * Kept on the check as taken: someone who moves on stays in their former team's year of checks.
     */
    static String teamOf(Caller caller) {
        return caller.team() != null ? "team:" + caller.team()
                : caller.department() != null ? "department:" + caller.department() : null;
    }

    /** A team as people say it: {@code call-centre}, {@code parks}. */
    static String teamName(String team) {
        return team.substring(team.indexOf(':') + 1);
    }

    Mono<Quiz> take(Caller caller) {
        Catalog current = catalog.current();
        Mono<Instant> lastCheck = store.history(caller.id()).next().map(QuizStore.Check::submittedAt)
                .defaultIfEmpty(Instant.EPOCH);
        return Mono.zip(lastCheck, changes.changedAt()).flatMap(found -> {
            Instant last = found.getT1().equals(Instant.EPOCH) ? null : found.getT1();
            List<Question> questions = QuizMaker.make(current, found.getT2(), last, new SplittableRandom(),
                    properties.questions());
            if (questions.isEmpty()) {
                return Mono.error(Problems.conflict("The catalog in force has no service to ask about."));
            }
            Quiz quiz = new Quiz(UUID.randomUUID().toString(), caller.id(), caller.name(), teamOf(caller),
                    clock.instant().truncatedTo(ChronoUnit.MILLIS), current.catalogVersion(), questions.size(),
                    questions, null, null, null, null);
            // once it is stored, it replaces the checks the person started before it and left unfinished (of two
            // started at once, the later stays)
            return store.insert(quiz).flatMap(stored -> store.removeUnfinishedBefore(stored).thenReturn(stored));
        });
    }

    /** The caller's own check; another's is not found, whoever asks. */
    Mono<Quiz> find(Caller caller, String id) {
        return store.find(id).filter(quiz -> quiz.person().equals(caller.id()))
                .switchIfEmpty(Mono.error(() -> Problems.notFound("You have no knowledge check '" + id + "'.")));
    }

    Mono<Quiz> handIn(Caller caller, String id, Map<Integer, String> answers) {
        return find(caller, id).flatMap(quiz -> {
            if (quiz.handedIn()) {
                return Mono.error(Problems.conflict("This check was handed in at " + quiz.submittedAt()
                        + "; take a new one."));
            }
            Quiz marked;
            try {
                marked = quiz.handIn(answers, clock.instant().truncatedTo(ChronoUnit.MILLIS));
            }
            catch (IllegalArgumentException ex) {
                return Mono.error(Problems.invalid("answers", ex.getMessage()));
            }
            return store.handIn(marked).flatMap(stored -> {
                if (!stored) {
                    return Mono.error(Problems.conflict("This check was handed in, or replaced by a newer one, "
                            + "meanwhile; take a new one."));
                }
                // counted again with it: the share per department shows it at once (a failed count is retried by
                // the next tick; the check is stored either way)
                return tally.recount().onErrorResume(failed -> Mono.empty()).thenReturn(marked);
            });
        });
    }

    Mono<Standing> standing(Caller caller) {
        return store.history(caller.id()).collectList().map(history -> {
            Instant last = history.isEmpty() ? null : history.get(0).submittedAt();
            Duration every = properties.requiredEvery();
            Instant dueAt = every == null ? null : last == null ? clock.instant() : last.plus(every);
            boolean due = dueAt != null && !clock.instant().isBefore(dueAt);
            return new Standing(history, last, every == null ? null : every.toDays(), dueAt, due);
        });
    }

    /** For a supervisor: the team they supervise (their token's team, else their department). */
    Mono<TeamStanding> team(Caller caller) {
        String team = teamOf(caller);
        if (!caller.has(Role.SUPERVISOR) || team == null) {
            return Mono.error(Problems.forbidden("A team's checks are for its supervisors; your token names no team "
                    + "you supervise."));
        }
        Instant now = clock.instant();
        Instant windowStart = now.minus(properties.window());
        return store.team(team, now.minus(YEAR)).collectList().map(checks -> {
            Map<String, List<QuizStore.Check>> byPerson = new LinkedHashMap<>();
            checks.stream().sorted(Comparator.comparing(QuizStore.Check::submittedAt).reversed())
                    .forEach(check -> byPerson.computeIfAbsent(check.person(), person -> new ArrayList<>()).add(check));
            List<Member> members = new ArrayList<>();
            long answers = 0;
            long right = 0;
            for (List<QuizStore.Check> own : byPerson.values()) {
                QuizStore.Check last = own.get(0);
                long asked = 0;
                long correct = 0;
                for (QuizStore.Check check : own) {
                    if (!check.submittedAt().isBefore(windowStart)) {
                        asked += check.total();
                        correct += check.correct();
                    }
                }
                members.add(new Member(last.person(), last.name(), own.size(), last.submittedAt(), last.correct(),
                        last.total(), asked, correct));
                answers += asked;
                right += correct;
            }
            members.sort(Comparator.comparing(Member::name, Comparator.nullsLast(Comparator.naturalOrder())));
            return new TeamStanding(teamName(team), properties.window().toDays(), members, answers, right);
        });
    }
}
