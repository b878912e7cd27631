package org.city311.routing.quiz;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

import org.city311.routing.catalog.Catalog;

/**
 * Generates a knowledge check from the catalog in force: no question is written by hand, so the check follows the
 * catalog as it changes. Each question is about a different service, drawn at random; a service that changed since
 * the taker's last check ({@code changedAt} after it) is drawn three times as often, so that a new service or a
 * moved one reaches everyone soon. Wrong answers come from the catalog itself and are chosen to be plausible: other
 * departments that handle services of the same group, other services of the same group, other published standards.
 * <p>
 * Left out: the {@code other} service and what the triage desk handles (no department to name), and, for the
 * questions about who handles a service, services that a district or attribute rule sends elsewhere in part (the
 * answer would be "it depends"). Pure: the same catalog, times and random sequence give the same check.
 */
final class QuizMaker {

    static final String[] KEYS = { "a", "b", "c", "d" };
    /** How much more often a service changed since the taker's last check is drawn. */
    static final double CHANGED_WEIGHT = 3;

    private QuizMaker() {
    }

    static List<Question> make(Catalog catalog, Map<String, Instant> changedAt, Instant lastCheck,
            RandomGenerator random, int count) {
        List<Catalog.Service> eligible = catalog.services().stream()
                .filter(service -> !kinds(catalog, service).isEmpty()).toList();
        List<Catalog.Service> drawn = draw(eligible, changedAt, lastCheck, random, count);
        List<Question> questions = new ArrayList<>(drawn.size());
        for (Catalog.Service service : drawn) {
            List<String> kinds = kinds(catalog, service);
            // who handles it is what a call-taker needs most: asked twice as often as each of the others
            List<String> weighted = new ArrayList<>(kinds);
            if (kinds.contains(Question.WHO_HANDLES)) {
                weighted.add(Question.WHO_HANDLES);
            }
            String kind = weighted.get(random.nextInt(weighted.size()));
            questions.add(question(catalog, service, kind, questions.size() + 1, random));
        }
        return questions;
    }

    /** The kinds of question a service can be asked about. */
    static List<String> kinds(Catalog catalog, Catalog.Service service) {
        if (!answerable(catalog, service)) {
            return List.of();
        }
        String handling = catalog.handlingDepartment(service);
        List<String> kinds = new ArrayList<>();
        boolean routedElsewhereInPart = catalog.rules().stream().anyMatch(rule -> service.code().equals(rule.service())
                && (Catalog.Rule.DISTRICT.equals(rule.kind()) || Catalog.Rule.ATTRIBUTE.equals(rule.kind())));
        if (!routedElsewhereInPart) {
            if (!otherDepartments(catalog, handling).isEmpty() && service.description() != null
                    && !service.description().isBlank()) {
                kinds.add(Question.WHO_HANDLES);
            }
            if (catalog.services().stream().anyMatch(other -> answerable(catalog, other)
                    && !handling.equals(catalog.handlingDepartment(other)))) {
                kinds.add(Question.WHICH_DOES);
            }
        }
        if (service.standard() != null && service.standard().resolution() != null) {
            kinds.add(Question.STANDARD);
        }
        return kinds;
    }

    /** Weighted draw without replacement (each service's key is u^(1/weight); the highest keys win). */
    private static List<Catalog.Service> draw(List<Catalog.Service> eligible, Map<String, Instant> changedAt,
            Instant lastCheck, RandomGenerator random, int count) {
        record Keyed(Catalog.Service service, double key) {
        }
        List<Keyed> keyed = new ArrayList<>(eligible.size());
        for (Catalog.Service service : eligible) {
            Instant changed = changedAt.get(service.code());
            double weight = lastCheck != null && changed != null && changed.isAfter(lastCheck) ? CHANGED_WEIGHT : 1;
            keyed.add(new Keyed(service, Math.pow(random.nextDouble(), 1 / weight)));
        }
        return keyed.stream().sorted(Comparator.comparingDouble(Keyed::key).reversed()).limit(count)
                .map(Keyed::service).toList();
    }

    private static Question question(Catalog catalog, Catalog.Service service, String kind, int number,
            RandomGenerator random) {
        String handling = catalog.handlingDepartment(service);
        String right;
        List<String> wrong;
        String prompt;
        String quote = null;
        switch (kind) {
            case Question.WHO_HANDLES -> {
                prompt = "A resident calls about this. Which department handles it?";
                quote = service.description().strip();
                right = name(catalog, handling);
                // departments handling services of the same group first: the mix-ups that happen
                Set<String> sameGroup = new LinkedHashSet<>();
                Set<String> others = new LinkedHashSet<>();
                for (String department : shuffled(otherDepartments(catalog, handling), random)) {
                    boolean near = catalog.services().stream().anyMatch(other -> same(other.group(), service.group())
                            && department.equals(catalog.handlingDepartment(other)));
                    (near ? sameGroup : others).add(name(catalog, department));
                }
                wrong = firstDistinct(right, List.of(sameGroup, others));
            }
            case Question.WHICH_DOES -> {
                prompt = "Which of these does " + name(catalog, handling) + " handle?";
                right = service.name();
                Set<String> sameGroup = new LinkedHashSet<>();
                Set<String> others = new LinkedHashSet<>();
                for (Catalog.Service other : shuffled(catalog.services(), random)) {
                    // a service some of whose requests a district or attribute rule sends here is not wrong
                    if (answerable(catalog, other) && !handling.equals(catalog.handlingDepartment(other))
                            && !sentInPartTo(catalog, other, handling)) {
                        (same(other.group(), service.group()) ? sameGroup : others).add(other.name());
                    }
                }
                wrong = firstDistinct(right, List.of(sameGroup, others));
            }
            default -> {
                prompt = "What is the published standard for resolving “" + service.name() + "”?";
                Catalog.Target target = service.standard().resolution();
                right = Targets.say(target);
                Set<String> published = new LinkedHashSet<>();
                for (Catalog.Service other : shuffled(catalog.services(), random)) {
                    if (other.standard() != null && other.standard().resolution() != null) {
                        published.add(Targets.say(other.standard().resolution()));
                    }
                }
                wrong = firstDistinct(right, List.of(published, Targets.variants(target)));
            }
        }
        List<String> labels = new ArrayList<>(wrong);
        labels.add(right);
        labels = shuffled(labels, random);
        List<Question.Choice> choices = new ArrayList<>(labels.size());
        String answer = null;
        for (int i = 0; i < labels.size(); i++) {
            choices.add(new Question.Choice(KEYS[i], labels.get(i)));
            if (labels.get(i).equals(right)) {
                answer = KEYS[i];
            }
        }
        return new Question(number, kind, prompt, quote, choices, answer, handling, card(catalog, service));
    }

    static Question.Card card(Catalog catalog, Catalog.Service service) {
        String handling = catalog.handlingDepartment(service);
        Catalog.Standard standard = service.standard();
        return new Question.Card(service.code(), service.name(), service.group(), service.description(), handling,
                name(catalog, handling),
                standard == null || standard.firstAction() == null ? null : Targets.say(standard.firstAction()),
                standard == null || standard.resolution() == null ? null : Targets.say(standard.resolution()));
    }

    /** A service someone could answer "which department handles it" for: not triage's, not {@code other}. */
    private static boolean answerable(Catalog catalog, Catalog.Service service) {
        String handling = catalog.handlingDepartment(service);
        return !Catalog.OTHER.equals(service.code()) && !Catalog.TRIAGE.equals(handling)
                && catalog.department(handling).isPresent();
    }

    private static boolean sentInPartTo(Catalog catalog, Catalog.Service service, String department) {
        return catalog.rules().stream().anyMatch(rule -> service.code().equals(rule.service())
                && department.equals(rule.department())
                && (Catalog.Rule.DISTRICT.equals(rule.kind()) || Catalog.Rule.ATTRIBUTE.equals(rule.kind())));
    }

    private static List<String> otherDepartments(Catalog catalog, String handling) {
        return catalog.departments().stream().map(Catalog.Department::code)
                .filter(code -> !code.equals(handling) && !Catalog.TRIAGE.equals(code)).toList();
    }

    /** Up to three wrong answers, from the first pool, then the next; none equal to the right one or another. */
    private static List<String> firstDistinct(String right, List<Set<String>> pools) {
        Set<String> chosen = new LinkedHashSet<>();
        for (Set<String> pool : pools) {
            for (String candidate : pool) {
                if (chosen.size() == KEYS.length - 1) {
                    return List.copyOf(chosen);
                }
                if (!candidate.equals(right)) {
                    chosen.add(candidate);
                }
            }
        }
        return List.copyOf(chosen);
    }

    private static String name(Catalog catalog, String department) {
        return catalog.department(department).map(Catalog.Department::name).orElse(department);
    }

    private static boolean same(String a, String b) {
        return a != null && a.equals(b);
    }

    private static <T> List<T> shuffled(List<T> items, RandomGenerator random) {
        List<T> copy = new ArrayList<>(items);
        for (int i = copy.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T swap = copy.get(i);
            copy.set(i, copy.get(j));
            copy.set(j, swap);
        }
        return copy;
    }
}
