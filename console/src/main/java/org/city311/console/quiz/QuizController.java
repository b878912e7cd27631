package org.city311.console.quiz;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import reactor.core.publisher.Mono;

import org.city311.console.signin.SignedIn;
import org.city311.console.signin.StaffRole;
import org.city311.console.upstream.Levels;
import org.city311.console.upstream.Quizzes;
import org.city311.console.upstream.Upstream;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

/**
 * The knowledge check: anyone takes it and sees their own history; a supervisor sees their team's scores;
 * supervisors, operations, auditors and admins see which departments staff know least. The questions and their
 * marking are routing-service's; a person's scores go to nobody but them and their supervisor.
 */
@Controller
class QuizController {

    /** routing-service's check ids: what a path segment may be before it is passed on. */
    private static final Pattern ID = Pattern.compile("[0-9a-f-]{36}");

    private final Upstream.AsUser services;
    private final Quizzes quizzes;
    private final Levels levels;
    private final QuizReminder reminder;

    QuizController(Upstream.AsUser services, Quizzes quizzes, Levels levels, QuizReminder reminder) {
        this.services = services;
        this.quizzes = quizzes;
        this.levels = levels;
        this.reminder = reminder;
    }

    @GetMapping("/quiz")
    Mono<String> page(@AuthenticationPrincipal OidcUser user, Model model) {
        SignedIn me = SignedIn.of(user);
        Mono<Optional<Quizzes.Team>> team = me.has(StaffRole.SUPERVISOR)
                ? quizzes.team(services.routing()).map(Optional::of)
                        .onErrorResume(Upstream::unavailable, refused -> Mono.just(Optional.empty()))
                : Mono.just(Optional.empty());
        Mono<Optional<Quizzes.Departments>> departments = me.has(StaffRole.SUPERVISOR, StaffRole.OPS,
                StaffRole.AUDITOR, StaffRole.ADMIN)
                        ? quizzes.departments(services.routing()).map(Optional::of)
                                .onErrorResume(Upstream::unavailable, refused -> Mono.just(Optional.empty()))
                        : Mono.just(Optional.empty());
        // beside the team's score, its filings sent on because the wrong service was chosen (metrics-service; the
        // page opens without it)
        Mono<Optional<Levels.Runaround>> runaround = me.has(StaffRole.SUPERVISOR)
                ? levels.runaround(services.metrics()).map(Optional::of)
                        .onErrorResume(Upstream::unavailable, unavailable -> Mono.just(Optional.empty()))
                : Mono.just(Optional.empty());
        return Mono.zip(quizzes.standing(services.routing()), team, departments, runaround).map(found -> {
            model.addAttribute("standing", found.getT1());
            Quizzes.Team shown = found.getT2().orElse(null);
            model.addAttribute("team", shown);
            model.addAttribute("teamIntake", shown == null ? null
                    : found.getT4().flatMap(figures -> figures.team(shown.team())).orElse(null));
            model.addAttribute("departments", found.getT3().orElse(null));
            return "quiz";
        });
    }

    @PostMapping("/quiz")
    Mono<String> start() {
        return quizzes.start(services.routing()).map(check -> "redirect:/quiz/" + check.id());
    }

    @GetMapping("/quiz/{id}")
    Mono<String> check(@PathVariable String id, Model model) {
        return quizzes.check(services.routing(), checked(id)).map(check -> {
            model.addAttribute("check", check);
            return "quiz-check";
        });
    }

    /** Form fields {@code q1} … {@code qN}: the key chosen per question; one left blank counts as wrong. */
    @PostMapping("/quiz/{id}")
    Mono<String> handIn(@PathVariable String id, ServerWebExchange exchange, Model model) {
        String checked = checked(id);
        return exchange.getFormData().flatMap(form -> {
            Map<String, String> answers = new LinkedHashMap<>();
            form.forEach((field, values) -> {
                if (field.matches("q\\d{1,2}") && !values.isEmpty() && values.get(0) != null
                        && !values.get(0).isBlank()) {
                    answers.put(field.substring(1), values.get(0));
                }
            });
            return quizzes.handIn(services.routing(), checked, answers);
        }).flatMap(check -> reminder.handedIn(exchange).thenReturn(check)).map(check -> {
            model.addAttribute("check", check);
            model.addAttribute("justHandedIn", true);
            return "quiz-check";
        });
    }

    private static String checked(String id) {
        if (!ID.matcher(id).matches()) {
            throw new ResponseStatusException(org.springframework.http.HttpStatus.NOT_FOUND,
                    "There is no knowledge check '" + id + "'.");
        }
        return id;
    }
}
