package org.city311.routing.quiz;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import org.city311.routing.catalog.Catalog;
import org.city311.routing.catalog.SampleCatalogs;

import static org.assertj.core.api.Assertions.assertThat;

/** The knowledge check as generated from the sample city's catalog: right answers, fair wrong ones, weighting. */
class QuizMakerTests {

    static final Catalog CATALOG = SampleCatalogs.sampleCity();
    static final Instant LAST_CHECK = Instant.parse("2026-11-01T12:00:00Z");

    @Test
    void shouldMarkAsRightOnlyWhatTheCatalogSaysAcrossManyChecks() {
        for (long seed = 0; seed < 300; seed++) {
            List<Question> questions = QuizMaker.make(CATALOG, Map.of(), null, new SplittableRandom(seed), 10);

            assertThat(questions).hasSize(10);
            assertThat(questions).extracting(question -> question.card().serviceCode()).doesNotHaveDuplicates()
                    .doesNotContain(Catalog.OTHER);
            assertThat(questions).extracting(Question::number).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
            for (Question question : questions) {
                Catalog.Service service = CATALOG.service(question.card().serviceCode()).orElseThrow();
                String handling = CATALOG.handlingDepartment(service);
                assertThat(question.department()).isEqualTo(handling).isNotEqualTo(Catalog.TRIAGE);
                assertThat(question.choices()).extracting(Question.Choice::key).containsExactly("a", "b", "c", "d");
                assertThat(question.choices()).extracting(Question.Choice::label).doesNotHaveDuplicates();
                String right = label(question, question.answer());
                switch (question.kind()) {
                    case Question.WHO_HANDLES -> {
                        assertThat(question.quote()).isEqualTo(service.description().strip());
                        assertThat(right).isEqualTo(departmentName(handling));
                        assertThat(question.choices()).extracting(Question.Choice::label)
                                .doesNotContain(departmentName(Catalog.TRIAGE));
                        assertThat(routedElsewhereInPart(service)).isFalse();
                    }
                    case Question.WHICH_DOES -> {
                        assertThat(question.prompt()).contains(departmentName(handling));
                        assertThat(right).isEqualTo(service.name());
                        // every wrong choice is a service some other department handles
                        for (Question.Choice choice : question.choices()) {
                            if (!choice.key().equals(question.answer())) {
                                assertThat(CATALOG.services()).filteredOn(other -> other.name().equals(choice.label()))
                                        .allSatisfy(other -> {
                                            assertThat(CATALOG.handlingDepartment(other)).isNotEqualTo(handling);
                                            // nor one a district or attribute rule sends there in part
                                            assertThat(CATALOG.rules()).noneMatch(rule -> other.code()
                                                    .equals(rule.service()) && handling.equals(rule.department()));
                                        });
                            }
                        }
                        assertThat(routedElsewhereInPart(service)).isFalse();
                    }
                    default -> {
                        assertThat(question.kind()).isEqualTo(Question.STANDARD);
                        assertThat(question.prompt()).contains(service.name());
                        assertThat(right).isEqualTo(Targets.say(service.standard().resolution()));
                    }
                }
                assertThat(question.card().departmentName()).isEqualTo(departmentName(handling));
                assertThat(question.card().resolution()).isEqualTo(Targets.say(service.standard().resolution()));
            }
        }
    }

    @Test
    void shouldAskEveryKindAndPutTheRightAnswerInEveryPlace() {
        Map<String, Integer> kinds = new HashMap<>();
        Map<String, Integer> places = new HashMap<>();
        for (long seed = 0; seed < 200; seed++) {
            for (Question question : QuizMaker.make(CATALOG, Map.of(), null, new SplittableRandom(seed), 10)) {
                kinds.merge(question.kind(), 1, Integer::sum);
                places.merge(question.answer(), 1, Integer::sum);
            }
        }
        // who handles it twice as often as each of the others, where a service can be asked all three
        assertThat(kinds.get(Question.WHO_HANDLES)).isGreaterThan(kinds.get(Question.WHICH_DOES));
        assertThat(kinds.get(Question.WHICH_DOES)).isGreaterThan(200);
        assertThat(kinds.get(Question.STANDARD)).isGreaterThan(200);
        // the right answer is not always "a"
        assertThat(places.keySet()).containsExactlyInAnyOrder("a", "b", "c", "d");
        assertThat(places.values()).allSatisfy(count -> assertThat(count).isBetween(350, 650));
    }

    @Test
    void shouldAskAboutServicesChangedSinceTheLastCheckMoreOften() {
        List<String> eligible = CATALOG.services().stream()
                .filter(service -> !QuizMaker.kinds(CATALOG, service).isEmpty()).map(Catalog.Service::code).toList();
        List<String> changed = eligible.subList(0, 5);
        Map<String, Instant> changedAt = new HashMap<>();
        eligible.forEach(code -> changedAt.put(code, LAST_CHECK.minusSeconds(86_400)));
        changed.forEach(code -> changedAt.put(code, LAST_CHECK.plusSeconds(3_600)));

        Map<String, Integer> asked = new HashMap<>();
        Map<String, Integer> askedWithoutHistory = new HashMap<>();
        for (long seed = 0; seed < 2000; seed++) {
            QuizMaker.make(CATALOG, changedAt, LAST_CHECK, new SplittableRandom(seed), 10)
                    .forEach(question -> asked.merge(question.card().serviceCode(), 1, Integer::sum));
            QuizMaker.make(CATALOG, changedAt, null, new SplittableRandom(seed), 10)
                    .forEach(question -> askedWithoutHistory.merge(question.card().serviceCode(), 1, Integer::sum));
        }

        double changedMean = changed.stream().mapToInt(code -> asked.getOrDefault(code, 0)).average().orElseThrow();
        double otherMean = eligible.stream().filter(code -> !changed.contains(code))
                .mapToInt(code -> asked.getOrDefault(code, 0)).average().orElseThrow();
        assertThat(changedMean).isGreaterThan(2 * otherMean);
        // a first check weighs every service alike
        double firstChangedMean = changed.stream().mapToInt(code -> askedWithoutHistory.getOrDefault(code, 0))
                .average().orElseThrow();
        double firstOtherMean = eligible.stream().filter(code -> !changed.contains(code))
                .mapToInt(code -> askedWithoutHistory.getOrDefault(code, 0)).average().orElseThrow();
        assertThat(firstChangedMean / firstOtherMean).isBetween(0.8, 1.25);
    }

    @Test
    void shouldGiveTheSameCheckForTheSameRandomSequenceAndAnotherForAnother() {
        List<Question> first = QuizMaker.make(CATALOG, Map.of(), null, new SplittableRandom(42), 10);
        assertThat(QuizMaker.make(CATALOG, Map.of(), null, new SplittableRandom(42), 10)).isEqualTo(first);
        assertThat(QuizMaker.make(CATALOG, Map.of(), null, new SplittableRandom(43), 10)).isNotEqualTo(first);
    }

    @Test
    void shouldNameTheDepartmentARuleMovedAServiceToAndAskFewerQuestionsOfASmallCatalog() {
        Catalog.Service pothole = CATALOG.service("pothole").orElseThrow();
        String other = CATALOG.departments().stream().map(Catalog.Department::code)
                .filter(code -> !code.equals(pothole.department()) && !code.equals(Catalog.TRIAGE)).findFirst()
                .orElseThrow();
        List<Catalog.Rule> rules = new ArrayList<>(CATALOG.rules());
        rules.add(0, new Catalog.Rule(Catalog.Rule.SERVICE_CODE, "pothole", other, null, null, null, null));
        Catalog moved = CATALOG.withRules(rules);

        boolean seen = false;
        for (long seed = 0; seed < 400 && !seen; seed++) {
            for (Question question : QuizMaker.make(moved, Map.of(), null, new SplittableRandom(seed), 10)) {
                if (question.card().serviceCode().equals("pothole") && question.kind().equals(Question.WHO_HANDLES)) {
                    assertThat(label(question, question.answer())).isEqualTo(departmentName(other));
                    assertThat(question.department()).isEqualTo(other);
                    seen = true;
                }
            }
        }
        assertThat(seen).isTrue();

        Catalog small = new Catalog("1", CATALOG.city(), CATALOG.departments(),
                CATALOG.services().subList(0, 4), null, List.of(), List.of());
        assertThat(QuizMaker.make(small, Map.of(), null, new SplittableRandom(1), 10))
                .hasSizeLessThanOrEqualTo(3).isNotEmpty();
    }

    @Test
    void shouldSayStandardsAsPeopleDoAndOfferNearbyOnes() {
        assertThat(Targets.say(new Catalog.Target(1, "business_days"))).isEqualTo("1 business day");
        assertThat(Targets.say(new Catalog.Target(10, "calendar_days"))).isEqualTo("10 calendar days");
        assertThat(Targets.say(new Catalog.Target(4, "hours"))).isEqualTo("4 hours");
        assertThat(Targets.variants(new Catalog.Target(4, "hours"))).contains("8 hours", "2 hours", "4 business days")
                .doesNotHaveDuplicates();
        assertThat(new HashSet<>(Targets.variants(new Catalog.Target(1, "hours")))).doesNotContain("0 hours");
    }

    private static String label(Question question, String key) {
        return question.choices().stream().filter(choice -> choice.key().equals(key)).findFirst().orElseThrow()
                .label();
    }

    private static String departmentName(String code) {
        return CATALOG.department(code).orElseThrow().name();
    }

    private static boolean routedElsewhereInPart(Catalog.Service service) {
        return CATALOG.rules().stream().anyMatch(rule -> service.code().equals(rule.service())
                && !Catalog.Rule.SERVICE_CODE.equals(rule.kind()) && !Catalog.Rule.KEYWORD.equals(rule.kind()));
    }
}
