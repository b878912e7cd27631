package org.city311.feedback.survey;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.util.LinkedMultiValueMap;

import static org.assertj.core.api.Assertions.assertThat;

class SurveyPageTests {

    private static final String TOKEN = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdE";

    @Test
    void shouldEscapeTheCommentWhenShowingItBack() {
        String comment = "</textarea><script>alert('x')</script> & \"quotes\"";

        String page = SurveyPage.form(TOKEN, "311-00000042",
                new SurveyPage.Entered("9", "no", null, comment), Map.of("satisfaction", "Choose from 1 to 5."));

        assertThat(page).doesNotContain("<script>").doesNotContain("</textarea><script")
                .contains("&lt;/textarea&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;");
    }

    @Test
    void shouldEscapeEverythingElseItShowsToo() {
        assertThat(SurveyPage.message("<b>Title</b>", "a <i>text</i>")).contains("&lt;b&gt;Title&lt;/b&gt;")
                .contains("a &lt;i&gt;text&lt;/i&gt;").doesNotContain("<b>").doesNotContain("<i>");
        assertThat(SurveyPage.form(TOKEN, "<img src=x onerror=alert(1)>", SurveyPage.Entered.NOTHING, Map.of()))
                .doesNotContain("<img").contains("&lt;img src=x onerror=alert(1)&gt;");
        assertThat(SurveyPage.escape(null)).isEmpty();
    }

    @Test
    void shouldLabelEveryInputAndGroupEveryChoice() {
        String page = SurveyPage.form(TOKEN, "311-00000042", SurveyPage.Entered.NOTHING, Map.of());

        assertThat(page).startsWith("<!DOCTYPE html>").contains("<html lang=\"en\">")
                .contains("<form method=\"post\" action=\"/surveys/" + TOKEN + "\"");
        assertThat(count(page, "<fieldset")).isEqualTo(3);
        assertThat(count(page, "<legend>")).isEqualTo(3);
        for (String id : new String[] { "satisfaction-1", "satisfaction-5", "resolved-yes", "resolved-no", "ease-1",
                "ease-5", "comment" }) {
            assertThat(page).contains("id=\"" + id + "\"").contains("<label for=\"" + id + "\">");
        }
        assertThat(count(page, "<input")).isEqualTo(12);
        assertThat(page).doesNotContain("<script");
    }

    @Test
    void shouldListErrorsFirstAndTieThemToTheirFields() {
        Map<String, String> errors = new LinkedHashMap<>();
        errors.put("satisfaction", "Choose how satisfied you are, from 1 to 5.");
        errors.put("comment", "Your comment is too long.");

        String page = SurveyPage.form(TOKEN, "311-00000042", new SurveyPage.Entered(null, "yes", "4", "x"), errors);

        assertThat(page).contains("role=\"alert\"").contains("<a href=\"#satisfaction-1\">")
                .contains("<a href=\"#comment\">").contains("aria-describedby=\"satisfaction-error\"")
                .contains("aria-describedby=\"comment-error\"")
                .contains("id=\"resolved-yes\" name=\"resolved\" value=\"yes\" checked")
                .contains("id=\"ease-4\" name=\"ease\" value=\"4\" checked");
        assertThat(page.indexOf("role=\"alert\"")).isLessThan(page.indexOf("<form"));
    }

    @Test
    void shouldCheckEachAnswerOfTheForm() {
        LinkedMultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("satisfaction", "6");
        form.add("resolved", "maybe");
        form.add("ease", "0");
        form.add("comment", "x".repeat(2001));

        Map<String, String> errors = SurveyPageController.check(new SurveyPage.Entered("6", "maybe", "0",
                "x".repeat(2001)), form);

        assertThat(errors).containsOnlyKeys("satisfaction", "resolved", "ease", "comment");
        assertThat(SurveyPageController.check(new SurveyPage.Entered("5", "yes", "", "fine"),
                new LinkedMultiValueMap<>())).isEmpty();
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }
}
