package org.city311.routing.quiz;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.city311.platform.security.Caller;
import org.city311.platform.web.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The knowledge check over HTTP: {@code POST /api/quiz} starts one, {@code POST /api/quiz/{id}/answers} hands it in
 * and answers with the marks, the right answers and their service cards; {@code GET /api/quiz/mine} is the caller's
 * history, {@code GET /api/quiz/team} a supervisor's team, {@code GET /api/quiz/departments} the city-wide share of
 * right answers per department asked about.
 */
@RestController
class QuizController {

    static final String QUIZ = "/api/quiz";

    private final Quizzes quizzes;
    private final QuizTally tally;
    private final QuizProperties properties;

    QuizController(Quizzes quizzes, QuizTally tally, QuizProperties properties) {
        this.quizzes = quizzes;
        this.tally = tally;
        this.properties = properties;
    }

    /**
     * A check as its taker sees it: before it is handed in, the questions and their choices only; after, each one's
     * answer given, the right one and the service card that explains it.
     */
    record QuizView(String id, Instant startedAt, Instant submittedAt, String catalogVersion, int total,
            Integer correct, List<QuestionView> questions) {

        static QuizView of(Quiz quiz) {
            boolean marked = quiz.handedIn();
            List<QuestionView> questions = quiz.questions().stream().map(question -> {
                String chosen = marked ? quiz.answers().get(question.number() - 1) : null;
                return new QuestionView(question.number(), question.kind(), question.prompt(), question.quote(),
                        question.choices(), chosen, marked ? question.answer() : null,
                        marked ? question.answer().equals(chosen) : null, marked ? question.card() : null);
            }).toList();
            return new QuizView(quiz.id(), quiz.startedAt(), quiz.submittedAt(), quiz.catalogVersion(), quiz.total(),
                    quiz.correct(), questions);
        }
    }

    record QuestionView(int number, String kind, String prompt, String quote, List<Question.Choice> choices,
            String chosen, String answer, Boolean right, Question.Card card) {
    }

    /** @param answers the key chosen per question number ({@code {"1": "b", "2": "a"}}); a question left out is wrong */
    record Answers(Map<String, String> answers) {
    }

    record Departments(long windowDays, List<QuizTally.Share> departments) {
    }

    @PostMapping(QUIZ)
    @ResponseStatus(HttpStatus.CREATED)
    Mono<QuizView> take(Caller caller) {
        return quizzes.take(caller).map(QuizView::of);
    }

    @GetMapping(QUIZ + "/mine")
    Mono<Quizzes.Standing> mine(Caller caller) {
        return quizzes.standing(caller);
    }

    @GetMapping(QUIZ + "/team")
    Mono<Quizzes.TeamStanding> team(Caller caller) {
        return quizzes.team(caller);
    }

    @GetMapping(QUIZ + "/departments")
    Departments departments() {
        return new Departments(properties.window().toDays(), tally.shares());
    }

    @GetMapping(QUIZ + "/{id}")
    Mono<QuizView> quiz(@PathVariable String id, Caller caller) {
        return quizzes.find(caller, id).map(QuizView::of);
    }

    @PostMapping(QUIZ + "/{id}/answers")
    Mono<QuizView> handIn(@PathVariable String id, @RequestBody Answers body, Caller caller) {
        if (body == null || body.answers() == null) {
            return Mono.error(Problems.invalid("answers", "Give the key chosen per question number: "
                    + "{\"answers\": {\"1\": \"b\"}}."));
        }
        Map<Integer, String> answers = new LinkedHashMap<>();
        for (Map.Entry<String, String> answer : body.answers().entrySet()) {
            try {
                answers.put(Integer.parseInt(answer.getKey().strip()), answer.getValue());
            }
            catch (NumberFormatException ex) {
                return Mono.error(Problems.invalid("answers", "'" + answer.getKey()
                        + "' is not a question number."));
            }
        }
        return quizzes.handIn(caller, id, answers).map(QuizView::of);
    }
}
