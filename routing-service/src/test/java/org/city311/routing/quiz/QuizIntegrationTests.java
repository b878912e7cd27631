package org.city311.routing.quiz;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import org.city311.platform.security.Role;
import org.city311.platform.test.InputMutator;
import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.platform.test.TestTokens;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Staff taking the knowledge check, their supervisors and operations reading it, on the real store. */
@ServiceIntegrationTest
class QuizIntegrationTests {

    @Autowired
    WebTestClient web;

    @Autowired
    ReactiveMongoTemplate mongo;

    @Test
    void shouldMarkAHandedInCheckAgainstTheCatalogAndShowTheAnswersOnlyThen() {
        String staff = TestTokens.ofTeam("quiz.caller-1", null, "call-centre", Role.STAFF);

        // when a call-taker starts a check, it asks ten questions and gives away no answer
        Map<String, Object> quiz = take(staff);
        String id = (String) quiz.get("id");
        List<Map<String, Object>> questions = questions(quiz);
        assertThat(questions).hasSize(10).allSatisfy(question -> {
            assertThat(question.get("answer")).isNull();
            assertThat(question.get("card")).isNull();
            assertThat((List<?>) question.get("choices")).hasSize(4);
        });

        // and hands it in with eight right, one wrong and one left out
        List<String> right = rightAnswers(id);
        Map<String, String> answers = new LinkedHashMap<>();
        for (int number = 1; number <= 10; number++) {
            String key = right.get(number - 1);
            if (number == 8) {
                answers.put("8", key.equals("a") ? "b" : "a");
            }
            else if (number != 9) {
                answers.put(String.valueOf(number), key);
            }
        }
        web.post().uri("/api/quiz/{id}/answers", id).header(HttpHeaders.AUTHORIZATION, staff)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("answers", answers)).exchange()
                .expectStatus().isOk().expectBody()
                // then it is marked, and every answer is shown with the service card that explains it
                .jsonPath("$.correct").isEqualTo(8)
                .jsonPath("$.submittedAt").isNotEmpty()
                .jsonPath("$.questions[7].right").isEqualTo(false)
                .jsonPath("$.questions[7].answer").isEqualTo(right.get(7))
                .jsonPath("$.questions[8].chosen").doesNotExist()
                .jsonPath("$.questions[8].right").isEqualTo(false)
                .jsonPath("$.questions[0].right").isEqualTo(true)
                .jsonPath("$.questions[0].card.departmentName").isNotEmpty()
                .jsonPath("$.questions[0].card.resolution").isNotEmpty();

        // and it cannot be handed in twice, nor read or handed in by anyone else
        web.post().uri("/api/quiz/{id}/answers", id).header(HttpHeaders.AUTHORIZATION, staff)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("answers", Map.of("1", "a"))).exchange()
                .expectStatus().isEqualTo(409);
        String other = TestTokens.ofTeam("quiz.caller-2", null, "call-centre", Role.STAFF);
        web.get().uri("/api/quiz/{id}", id).header(HttpHeaders.AUTHORIZATION, other).exchange()
                .expectStatus().isNotFound();
        web.get().uri("/api/quiz/{id}", id).header(HttpHeaders.AUTHORIZATION, TestTokens.only(Role.ADMIN))
                .exchange().expectStatus().isNotFound();

        // and the taker's history shows it, the stored check keeps the marks per department and no person's name
        web.get().uri("/api/quiz/mine").header(HttpHeaders.AUTHORIZATION, staff).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.history[0].id").isEqualTo(id)
                .jsonPath("$.history[0].correct").isEqualTo(8)
                .jsonPath("$.history[0].total").isEqualTo(10)
                .jsonPath("$.due").isEqualTo(false);
        Document stored = mongo.findById(id, Document.class, "quizzes").block();
        assertThat(stored.getString("team")).isEqualTo("team:call-centre");
        assertThat(stored.getList("marks", Document.class)).hasSize(10)
                .filteredOn(mark -> mark.getBoolean("right")).hasSize(8);
    }

    @Test
    void shouldRefuseAnswersThatAreNoChoiceOfTheCheckAndKeepItOpen() {
        String staff = TestTokens.ofTeam("quiz.caller-3", null, "call-centre", Role.STAFF);
        String id = (String) take(staff).get("id");

        for (Map<String, String> wrong : List.of(Map.of("1", "z"), Map.of("11", "a"), Map.of("one", "a"))) {
            web.post().uri("/api/quiz/{id}/answers", id).header(HttpHeaders.AUTHORIZATION, staff)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("answers", wrong)).exchange()
                    .expectStatus().isEqualTo(422).expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.errors[0].field").isEqualTo("answers");
        }
        web.post().uri("/api/quiz/{id}/answers", id).header(HttpHeaders.AUTHORIZATION, staff)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"answers\": [1, 2]}").exchange()
                .expectStatus().isBadRequest();

        // then the check is still open, and takes a right hand-in
        web.get().uri("/api/quiz/{id}", id).header(HttpHeaders.AUTHORIZATION, staff).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.submittedAt").doesNotExist();
        web.post().uri("/api/quiz/{id}/answers", id).header(HttpHeaders.AUTHORIZATION, staff)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("answers", Map.of("1", "a"))).exchange()
                .expectStatus().isOk();
    }

    @Test
    void shouldReplaceACheckLeftUnfinishedWhenThePersonStartsANewOne() {
        // given a call-taker who started a check an hour ago and left it (the phone rang)
        String staff = TestTokens.ofTeam("quiz.caller-6", null, "call-centre", Role.STAFF);
        String left = (String) take(staff).get("id");
        Document started = mongo.findById(left, Document.class, "quizzes").block();
        mongo.updateFirst(org.springframework.data.mongodb.core.query.Query.query(
                org.springframework.data.mongodb.core.query.Criteria.where("_id").is(left)),
                org.springframework.data.mongodb.core.query.Update.update("startedAt",
                        java.util.Date.from(started.getDate("startedAt").toInstant().minusSeconds(3600))),
                "quizzes").block();

        // when they start another
        String fresh = (String) take(staff).get("id");

        // then the one they left is gone, so unfinished checks never pile up, and the new one takes their answers
        web.get().uri("/api/quiz/{id}", left).header(HttpHeaders.AUTHORIZATION, staff).exchange()
                .expectStatus().isNotFound();
        assertThat(mongo.findAll(Document.class, "quizzes").toStream()
                .filter(quiz -> "quiz.caller-6".equals(quiz.getString("person"))).map(quiz -> quiz.getString("_id")))
                .containsExactly(fresh);
        web.post().uri("/api/quiz/{id}/answers", fresh).header(HttpHeaders.AUTHORIZATION, staff)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("answers", Map.of("1", "a"))).exchange()
                .expectStatus().isOk();
        // and a check handed in stays in their history when they start the next
        take(staff);
        web.get().uri("/api/quiz/mine").header(HttpHeaders.AUTHORIZATION, staff).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.history[0].id").isEqualTo(fresh);
    }

    @Test
    void shouldShowATeamsChecksToItsSupervisorsOnly() {
        // given two agents of parks and a call-taker who each hand in a check
        String first = TestTokens.bearer("quiz.parks-agent-1", "parks", Role.AGENT);
        String second = TestTokens.bearer("quiz.parks-agent-2", "parks", Role.AGENT);
        String caller = TestTokens.ofTeam("quiz.caller-4", null, "call-centre", Role.STAFF);
        int firstRight = handIn(first, 10);
        int secondRight = handIn(second, 4);
        handIn(caller, 10);

        // then the parks supervisor sees both agents, their last scores and the team's share, and no one else
        web.get().uri("/api/quiz/team").header(HttpHeaders.AUTHORIZATION, TestTokens.supervisor("parks")).exchange()
                .expectStatus().isOk().expectBody()
                .jsonPath("$.team").isEqualTo("parks")
                .jsonPath("$.members[?(@.person == 'quiz.parks-agent-1')].lastCorrect").isEqualTo(firstRight)
                .jsonPath("$.members[?(@.person == 'quiz.parks-agent-2')].lastCorrect").isEqualTo(secondRight)
                .jsonPath("$.members[?(@.person == 'quiz.caller-4')]").isEmpty()
                .jsonPath("$.members[?(@.person == 'quiz.parks-agent-1')].checks").isEqualTo(1);
        // and another department's supervisor sees none of them; an agent or a call-taker sees no team's
        web.get().uri("/api/quiz/team").header(HttpHeaders.AUTHORIZATION, TestTokens.supervisor("sanitation"))
                .exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.members[?(@.person == 'quiz.parks-agent-1')]").isEmpty();
        web.get().uri("/api/quiz/team").header(HttpHeaders.AUTHORIZATION, first).exchange()
                .expectStatus().isForbidden();
        web.get().uri("/api/quiz/team").header(HttpHeaders.AUTHORIZATION, caller).exchange()
                .expectStatus().isForbidden();
    }

    @Test
    void shouldCountTheShareOfRightAnswersPerDepartmentAskedAboutAsTheStoreHasIt() {
        handIn(TestTokens.ofTeam("quiz.caller-5", null, "call-centre", Role.STAFF), 6);
        handIn(TestTokens.bearer("quiz.sanitation-agent", "sanitation", Role.AGENT), 9);

        // the oracle: every mark stored
        Map<String, long[]> expected = new TreeMap<>();
        mongo.findAll(Document.class, "quizzes").toStream().filter(quiz -> quiz.get("submittedAt") != null)
                .flatMap(quiz -> quiz.getList("marks", Document.class).stream())
                .forEach(mark -> {
                    long[] counts = expected.computeIfAbsent(mark.getString("department"), d -> new long[2]);
                    counts[0]++;
                    counts[1] += mark.getBoolean("right") ? 1 : 0;
                });

        List<Map<String, Object>> departments = web.get().uri("/api/quiz/departments")
                .header(HttpHeaders.AUTHORIZATION, TestTokens.only(Role.OPS)).exchange().expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody().get("departments") instanceof List<?> list
                        ? cast(list) : List.of();
        Map<String, long[]> shown = new TreeMap<>();
        departments.forEach(share -> shown.put((String) share.get("department"),
                new long[] { ((Number) share.get("answers")).longValue(), ((Number) share.get("right")).longValue() }));
        assertThat(shown).hasSameSizeAs(expected);
        expected.forEach((department, counts) -> assertThat(shown.get(department)).containsExactly(counts));
        // the least known department first
        assertThat(departments).extracting(share -> ((Number) share.get("ratio")).doubleValue()).isSorted();

        // and Prometheus reads the same per department
        String scrape = web.get().uri("/actuator/prometheus").header(HttpHeaders.AUTHORIZATION,
                TestTokens.only(Role.OPS)).exchange().expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody();
        expected.forEach((department, counts) -> {
            String line = scrape.lines().filter(sample -> sample.startsWith("city311_knowledge_quiz_correct_ratio{")
                    && sample.contains("department=\"" + department + "\"")).findFirst().orElseThrow();
            assertThat(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                    .isCloseTo((double) counts[1] / counts[0], org.assertj.core.data.Offset.offset(1e-9));
        });
    }

    @Test
    void shouldNeverAnswer5xxToMangledAnswersAndMarkACheckOnlyOnce() {
        String staff = TestTokens.ofTeam("quiz.caller-fuzz", null, "call-centre", Role.STAFF);
        Random random = new Random(Long.getLong("city311.fuzz.seed", 20261206L));
        InputMutator mutator = new InputMutator(random);
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> serverErrors = new ArrayList<>();
        int handedIn = 0;
        String id = (String) take(staff).get("id");
        for (int round = 0; round < 300; round++) {
            byte[] body = mutator.mutateJson("{\"answers\": {\"1\": \"a\", \"2\": \"b\", \"3\": \"c\"}}");
            int status = web.post().uri("/api/quiz/{id}/answers", id).header(HttpHeaders.AUTHORIZATION, staff)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange().returnResult(byte[].class)
                    .getStatus().value();
            statuses.merge(status, 1, Integer::sum);
            if (status >= 500) {
                serverErrors.add(status + " <- " + new String(body, java.nio.charset.StandardCharsets.UTF_8));
            }
            if (status == 200) {
                handedIn++;
                id = (String) take(staff).get("id");
            }
        }
        System.out.printf("quiz fuzz statuses %s%n", statuses);
        assertThat(serverErrors).isEmpty();
        assertThat(statuses.keySet()).containsAnyOf(400, 422);
        // each 200 marked one check, once
        long marked = mongo.findAll(Document.class, "quizzes").toStream()
                .filter(quiz -> "quiz.caller-fuzz".equals(quiz.getString("person")) && quiz.get("submittedAt") != null)
                .count();
        assertThat(marked).isEqualTo(handedIn);
    }

    /** Takes a check and hands it in with {@code right} right answers (the first ones); returns them. */
    private int handIn(String token, int right) {
        String id = (String) take(token).get("id");
        List<String> answers = rightAnswers(id);
        Map<String, String> given = new HashMap<>();
        for (int number = 1; number <= answers.size(); number++) {
            String key = answers.get(number - 1);
            given.put(String.valueOf(number), number <= right ? key : key.equals("a") ? "b" : "a");
        }
        web.post().uri("/api/quiz/{id}/answers", id).header(HttpHeaders.AUTHORIZATION, token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("answers", given)).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.correct").isEqualTo(right);
        return right;
    }

    private Map<String, Object> take(String token) {
        return cast(web.post().uri("/api/quiz").header(HttpHeaders.AUTHORIZATION, token).exchange()
                .expectStatus().isCreated().expectBody(Map.class).returnResult().getResponseBody());
    }

    private List<String> rightAnswers(String id) {
        Document stored = mongo.findById(id, Document.class, "quizzes").block();
        return stored.getList("questions", Document.class).stream().map(question -> question.getString("answer"))
                .toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> questions(Map<String, Object> quiz) {
        return (List<Map<String, Object>>) quiz.get("questions");
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }
}
