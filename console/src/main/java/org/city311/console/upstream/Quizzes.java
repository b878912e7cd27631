package org.city311.console.upstream;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

/** routing-service's knowledge check as the console reads it: start, hand in, history, a team, the departments. */
@Component
public class Quizzes {

    public record Choice(String key, String label) {
    }

    /** The service card that explains an answer. */
    public record Card(String serviceCode, String serviceName, String group, String description, String department,
            String departmentName, String firstAction, String resolution) {
    }

    /** A question; {@code answer}, {@code right} and {@code card} only once the check is handed in. */
    public record Question(int number, String kind, String prompt, String quote, List<Choice> choices, String chosen,
            String answer, Boolean right, Card card) {

        public Question {
            choices = choices == null ? List.of() : choices;
        }

        /** What a choice's key says: {@code label("b")}; null for none. */
        public String label(String key) {
            return choices.stream().filter(choice -> choice.key().equals(key)).map(Choice::label).findFirst()
                    .orElse(null);
        }
    }

    public record Check(String id, Instant startedAt, Instant submittedAt, String catalogVersion, int total,
            Integer correct, List<Question> questions) {

        public Check {
            questions = questions == null ? List.of() : questions;
        }

        public boolean handedIn() {
            return submittedAt != null;
        }
    }

    /** A check handed in, in brief. */
    public record Summary(String id, String person, String name, Instant submittedAt, int correct, int total) {
    }

    public record Standing(List<Summary> history, Instant lastCheckAt, Long requiredEveryDays, Instant dueAt,
            boolean due) {

        public Standing {
            history = history == null ? List.of() : history;
        }
    }

    public record Member(String person, String name, int checks, Instant lastCheckAt, int lastCorrect, int lastTotal,
            long answers, long right, double ratio) {
    }

    public record Team(String team, long windowDays, List<Member> members, long answers, long right, double ratio) {

        public Team {
            members = members == null ? List.of() : members;
        }
    }

    public record Share(String department, String name, long answers, long right, double ratio) {
    }

    public record Departments(long windowDays, List<Share> departments) {

        public Departments {
            departments = departments == null ? List.of() : departments;
        }
    }

    public Mono<Check> start(WebClient routing) {
        return routing.post().uri("/api/quiz").retrieve().bodyToMono(Check.class);
    }

    public Mono<Check> check(WebClient routing, String id) {
        return routing.get().uri("/api/quiz/{id}", id).retrieve().bodyToMono(Check.class);
    }

    /** @param answers the key chosen per question number */
    public Mono<Check> handIn(WebClient routing, String id, Map<String, String> answers) {
        return routing.post().uri("/api/quiz/{id}/answers", id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("answers", answers)).retrieve().bodyToMono(Check.class);
    }

    public Mono<Standing> standing(WebClient routing) {
        return routing.get().uri("/api/quiz/mine").retrieve().bodyToMono(Standing.class);
    }

    public Mono<Team> team(WebClient routing) {
        return routing.get().uri("/api/quiz/team").retrieve().bodyToMono(Team.class);
    }

    public Mono<Departments> departments(WebClient routing) {
        return routing.get().uri("/api/quiz/departments").retrieve().bodyToMono(Departments.class);
    }
}
