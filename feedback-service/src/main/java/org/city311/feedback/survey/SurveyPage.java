package org.city311.feedback.survey;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.util.HtmlUtils;

/**
 * The survey as a small server-rendered page: no script, a form that works in any browser and with a screen reader
 * (a label for every input, a fieldset and legend for each group of choices, errors listed first and tied to their
 * fields). Everything that did not come from this class is HTML-escaped, the customer's own comment above all.
 */
final class SurveyPage {

    static final MediaType HTML = new MediaType("text", "html", StandardCharsets.UTF_8);

    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;line-height:1.5;margin:0;padding:1rem;color:#1b1b1b;background:#fff}
            main{max-width:40rem;margin:auto}fieldset{border:1px solid #757575;margin:0 0 1.25rem;padding:.75rem 1rem}
            legend{font-weight:600;padding:0 .25rem}.choice{display:block;margin:.25rem 0}
            input[type=radio]{width:1.2rem;height:1.2rem;vertical-align:middle;margin-right:.5rem}
            textarea{width:100%;box-sizing:border-box;font:inherit}button{font:inherit;padding:.6rem 1.2rem}
            .error{color:#b50909;font-weight:600}.alert{border:3px solid #b50909;padding:.5rem 1rem;margin:0 0 1rem}
            .hint{color:#4a4a4a}:focus{outline:3px solid #ffbf47;outline-offset:2px}""";

    private static final Map<String, String> SATISFACTION = scale("Very dissatisfied", "Dissatisfied",
            "Neither satisfied nor dissatisfied", "Satisfied", "Very satisfied");
    private static final Map<String, String> EASE = scale("Very difficult", "Difficult",
            "Neither easy nor difficult", "Easy", "Very easy");
    private static final Map<String, String> RESOLVED = new LinkedHashMap<>(Map.of("yes", "Yes"));

    static {
        RESOLVED.put("no", "No");
    }

    private SurveyPage() {
    }

    /** The fields as the customer sent them, unchecked: echoed back (escaped) when something must be corrected. */
    record Entered(String satisfaction, String resolved, String ease, String comment) {

        static final Entered NOTHING = new Entered(null, null, null, null);
    }

    static String escape(String text) {
        return text == null ? "" : HtmlUtils.htmlEscape(text, StandardCharsets.UTF_8.name());
    }

    /** Headers for every survey page: nothing may run, embed it or learn its address (the token) from a referrer. */
    static void secure(HttpHeaders headers) {
        headers.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                + "frame-ancestors 'none'; base-uri 'none'");
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        headers.setCacheControl("no-store");
    }

    /**
     * The questions.
     *
     * @param errors by field name ({@code satisfaction}, {@code resolved}, {@code ease}, {@code comment}), in order
     */
    static String form(String token, String requestId, Entered entered, Map<String, String> errors) {
        StringBuilder html = new StringBuilder();
        html.append("<h1>How did we do?</h1>\n<p>Your 311 request <strong>").append(escape(requestId))
                .append("</strong> was resolved. Please tell us how it went: three questions and a comment, "
                        + "which is optional.</p>\n");
        if (!errors.isEmpty()) {
            html.append("<div class=\"alert\" role=\"alert\" aria-labelledby=\"error-summary\">\n"
                    + "<h2 id=\"error-summary\">Please correct ")
                    .append(errors.size() == 1 ? "this answer" : "these answers").append("</h2>\n<ul>\n");
            errors.forEach((field, message) -> html.append("<li><a href=\"#").append(firstInput(field)).append("\">")
                    .append(escape(message)).append("</a></li>\n"));
            html.append("</ul>\n</div>\n");
        }
        html.append("<form method=\"post\" action=\"/surveys/").append(escape(token))
                .append("\" accept-charset=\"UTF-8\">\n");
        choices(html, "satisfaction", "Overall, how satisfied are you with how your request was handled?", null,
                SATISFACTION, entered.satisfaction(), errors);
        choices(html, "resolved", "Was your issue resolved?", "If you answer no, we will reopen your request.",
                RESOLVED, entered.resolved(), errors);
        choices(html, "ease", "How easy was it to get help? (optional)", null, EASE, entered.ease(), errors);
        String commentError = errors.get("comment");
        html.append("<p><label for=\"comment\">Anything else you would like to tell us? (optional, up to 2,000 "
                + "characters)</label>\n");
        if (commentError != null) {
            html.append("<span id=\"comment-error\" class=\"error\">").append(escape(commentError)).append("</span>\n");
        }
        html.append("<textarea id=\"comment\" name=\"comment\" rows=\"6\" maxlength=\"2000\"")
                .append(commentError != null ? " aria-invalid=\"true\" aria-describedby=\"comment-error\"" : "")
                .append(">").append(escape(entered.comment())).append("</textarea></p>\n")
                .append("<p><button type=\"submit\">Send my answers</button></p>\n</form>\n");
        return page("How did we do? Request " + requestId, html.toString());
    }

    static String thanks(boolean resolved) {
        return message("Thank you", resolved ? "Your answers were received. We are glad your issue was resolved."
                : "Your answers were received. As your issue is not resolved, we are reopening your request, and the "
                        + "department will look at it again.");
    }

    /** A page with one message: a refusal (unknown link, closed survey, already answered) or a confirmation. */
    static String message(String title, String text) {
        return page(title, "<h1>" + escape(title) + "</h1>\n<p>" + escape(text) + "</p>\n");
    }

    private static void choices(StringBuilder html, String name, String legend, String hint,
            Map<String, String> options, String entered, Map<String, String> errors) {
        String error = errors.get(name);
        String described = (hint != null ? name + "-hint " : "") + (error != null ? name + "-error" : "");
        html.append("<fieldset").append(described.isBlank() ? "" : " aria-describedby=\"" + described.strip() + "\"")
                .append(">\n<legend>").append(escape(legend)).append("</legend>\n");
        if (hint != null) {
            html.append("<p id=\"").append(name).append("-hint\" class=\"hint\">").append(escape(hint))
                    .append("</p>\n");
        }
        if (error != null) {
            html.append("<p id=\"").append(name).append("-error\" class=\"error\">").append(escape(error))
                    .append("</p>\n");
        }
        options.forEach((value, label) -> {
            String id = name + "-" + value;
            html.append("<span class=\"choice\"><input type=\"radio\" id=\"").append(id).append("\" name=\"")
                    .append(name).append("\" value=\"").append(value).append("\"")
                    .append(value.equals(entered) ? " checked" : "")
                    .append(error != null ? " aria-invalid=\"true\"" : "")
                    .append("><label for=\"").append(id).append("\">")
                    .append(options == RESOLVED ? "" : value + " – ").append(escape(label))
                    .append("</label></span>\n");
        });
        html.append("</fieldset>\n");
    }

    private static String firstInput(String field) {
        return switch (field) {
            case "resolved" -> "resolved-yes";
            case "comment" -> "comment";
            default -> field + "-1";
        };
    }

    private static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" + escape(title)
                + " – City 311</title>\n<style>" + STYLE + "</style>\n</head>\n<body>\n<main>\n" + body
                + "</main>\n</body>\n</html>\n";
    }

    private static Map<String, String> scale(String... labels) {
        Map<String, String> scale = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i++) {
            scale.put(Integer.toString(i + 1), labels[i]);
        }
        return scale;
    }
}
