package org.city311.feedback.survey;

import java.util.LinkedHashMap;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.city311.platform.web.Problems;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * The survey page a resident (or staff running it by phone) opens from the link: {@code GET /surveys/{token}} shows
 * the questions, {@code POST /surveys/{token}} (an ordinary form) takes the answers and thanks, or shows the page
 * again with what to correct. Refusals are pages too: unknown link 404, already answered 409, closed 410.
 */
@RestController
class SurveyPageController {

    static final int MAX_COMMENT = 2000;

    private final SurveyResponses responses;

    SurveyPageController(SurveyResponses responses) {
        this.responses = responses;
    }

    @GetMapping(path = "/surveys/{token}", produces = MediaType.TEXT_HTML_VALUE)
    Mono<ResponseEntity<String>> show(@PathVariable String token) {
        return responses.answerable(token)
                .map(survey -> html(HttpStatus.OK, SurveyPage.form(token, survey.requestId(),
                        SurveyPage.Entered.NOTHING, Map.of())))
                .onErrorResume(ErrorResponseException.class, SurveyPageController::refusal);
    }

    @PostMapping(path = "/surveys/{token}", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE,
            produces = MediaType.TEXT_HTML_VALUE)
    Mono<ResponseEntity<String>> answer(@PathVariable String token, ServerWebExchange exchange) {
        return exchange.getFormData()
                .onErrorMap(DataBufferLimitException.class, tooLarge -> Problems.of(HttpStatus.CONTENT_TOO_LARGE,
                        "Too large", "The answers are too long."))
                .onErrorMap(unreadable -> !(unreadable instanceof ErrorResponseException), unreadable -> Problems.of(
                        HttpStatus.BAD_REQUEST, "Unreadable form", "The answers could not be read."))
                .flatMap(form -> take(token, form))
                .onErrorResume(ErrorResponseException.class, SurveyPageController::refusal);
    }

    private Mono<ResponseEntity<String>> take(String token, MultiValueMap<String, String> form) {
        SurveyPage.Entered entered = new SurveyPage.Entered(form.getFirst("satisfaction"), form.getFirst("resolved"),
                form.getFirst("ease"), form.getFirst("comment"));
        Map<String, String> errors = check(entered, form);
        if (!errors.isEmpty()) {
            return responses.answerable(token).map(survey -> html(HttpStatus.UNPROCESSABLE_CONTENT,
                    SurveyPage.form(token, survey.requestId(), entered, errors)));
        }
        SurveyResponses.Answers answers = new SurveyResponses.Answers(Integer.parseInt(entered.satisfaction()),
                "yes".equals(entered.resolved()), blank(entered.ease()) ? null : Integer.valueOf(entered.ease()),
                blank(entered.comment()) ? null : entered.comment());
        return responses.answer(token, answers)
                .map(feedback -> html(HttpStatus.OK, SurveyPage.thanks(answers.resolved())));
    }

    /** What is wrong with the answers, by field, in the order the questions are asked. */
    static Map<String, String> check(SurveyPage.Entered entered, MultiValueMap<String, String> form) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (!oneToFive(entered.satisfaction())) {
            errors.put("satisfaction", "Choose how satisfied you are, from 1 to 5.");
        }
        if (!"yes".equals(entered.resolved()) && !"no".equals(entered.resolved())) {
            errors.put("resolved", "Choose whether your issue was resolved: yes or no.");
        }
        if (!blank(entered.ease()) && !oneToFive(entered.ease())) {
            errors.put("ease", "Choose how easy it was to get help, from 1 to 5, or leave it out.");
        }
        if (entered.comment() != null && entered.comment().length() > MAX_COMMENT) {
            errors.put("comment", "Your comment is " + entered.comment().length() + " characters long; please "
                    + "shorten it to " + MAX_COMMENT + ".");
        }
        for (String field : new String[] { "satisfaction", "resolved", "ease", "comment" }) {
            if (form.getOrDefault(field, java.util.List.of()).size() > 1) {
                errors.putIfAbsent(field, "Give one answer to this question.");
            }
        }
        return errors;
    }

    private static boolean oneToFive(String value) {
        return value != null && value.length() == 1 && value.charAt(0) >= '1' && value.charAt(0) <= '5';
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static Mono<ResponseEntity<String>> refusal(ErrorResponseException refused) {
        HttpStatusCode status = refused.getStatusCode();
        String page;
        if (status.value() == HttpStatus.NOT_FOUND.value()) {
            page = SurveyPage.message("Survey not found", "There is no survey at this address. Please check that "
                    + "the link is complete, as you received it.");
        }
        else if (status.value() == HttpStatus.CONFLICT.value()) {
            page = SurveyPage.message("Already answered", "This survey has already been answered. Thank you!");
        }
        else if (status.value() == HttpStatus.BAD_REQUEST.value()
                || status.value() == HttpStatus.CONTENT_TOO_LARGE.value()) {
            page = SurveyPage.message("Answers not received", "Your answers could not be read (a comment can be up "
                    + "to 2,000 characters). Please go back, check them and send them again.");
        }
        else if (status.value() == HttpStatus.GONE.value()) {
            page = SurveyPage.message("Survey closed", "This survey is closed: answers are no longer taken. If your "
                    + "issue is not resolved, please contact 311 again.");
        }
        else {
            return Mono.error(refused);
        }
        return Mono.just(html(status, page));
    }

    private static ResponseEntity<String> html(HttpStatusCode status, String page) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(status).contentType(SurveyPage.HTML);
        response.headers(SurveyPage::secure);
        return response.body(page);
    }
}
