package org.city311.console.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WordsTests {

    final Words words = new Words();

    @Test
    void shouldSayWhyAFollowUpWasOpenedAsASupervisorWould() {
        assertThat(words.followUpReason("not_resolved")).isEqualTo("Not resolved");
        assertThat(words.followUpReason("low_satisfaction")).isEqualTo("Dissatisfied");
        assertThat(words.followUpReason("low_audit")).isEqualTo("Audit below standard");
    }

    @Test
    void shouldHaveWordsForEveryReasonTheFollowUpContractAllows() throws IOException {
        // given the reasons feedback-service may send (the JSON Schema of city311.followup.opened.v1)
        List<String> reasons = enumOf("reason", "city311.followup.opened.v1.json");
        assertThat(reasons).isNotEmpty();

        // then each has words of its own, not the fallback's
        assertThat(reasons).allSatisfy(code -> assertThat(Words.FOLLOW_UP_REASONS).containsKey(code));
    }

    @Test
    void shouldStillShowAnUnknownCodeReadably() {
        // a reason or root cause feedback-service adds later, before the console knows it
        assertThat(words.followUpReason("repeat_complaint")).isEqualTo("Repeat complaint");
        assertThat(words.rootCause("weather-damage")).isEqualTo("Weather damage");
        assertThat(words.status("awaiting_parts")).isEqualTo("Awaiting parts");
        assertThat(words.followUpReason(null)).isEmpty();
        assertThat(words.followUpReason("_")).isEqualTo("_");
    }

    @Test
    void shouldNameRootCausesAndATrackedRequestsStepsInPlainWords() {
        assertThat(words.rootCause("wrong_routing")).isEqualTo("Sent to the wrong department");
        assertThat(words.status("in_progress")).isEqualTo("In progress");
        assertThat(words.status("routed")).isEqualTo("With the department");
        assertThat(words.step("put-on-hold")).isEqualTo("On hold");
        assertThat(words.step("routed")).isEqualTo("Sent to the department");
        // a goal's kind and its guard's measure, as metrics-service names them
        assertThat(words.of("ORIENTATION")).isEqualTo("Orientation");
        assertThat(words.of("reopen-rate")).isEqualTo("Reopen rate");
    }

    @Test
    void shouldTellStaffWhereASurveyStandsAndHowItReachesItsCustomer() {
        assertThat(words.surveyStatus("pending_delivery")).isEqualTo("Survey not sent yet");
        assertThat(words.surveyStatus("answered")).isEqualTo("Survey answered");
        assertThat(words.surveyChannel("internal")).isEqualTo("to the staff who asked for it");
        assertThat(words.surveyChannel("phone")).isEqualTo("by phone");
        // a channel feedback-service adds later still reads as words inside the sentence
        assertThat(words.surveyChannel("text_message")).isEqualTo("text message");
    }

    @Test
    void shouldOfferEveryTransferReasonOfTheContractInWords() {
        assertThat(words.transferReasons()).extracting(Words.Choice::code).containsExactly(
                "wrong-service-chosen-at-intake", "wrong-department-in-catalog", "needs-another-department-too",
                "other");
        assertThat(words.transferReasons()).allSatisfy(choice -> assertThat(choice.words()).doesNotContain("-"));
        assertThat(words.transferReasons().get(0).words()).isEqualTo("The wrong service was chosen when it was filed");
    }

    /** An enum of a schema in contracts/ (the console does not depend on the contracts module: read as text). */
    static List<String> enumOf(String property, String schema) throws IOException {
        String text = Files.readString(Path.of("..", "contracts", "schemas", schema));
        Matcher found = Pattern.compile("\"" + property + "\"\\s*:\\s*\\{[^}]*\"enum\"\\s*:\\s*\\[([^\\]]*)]")
                .matcher(text);
        assertThat(found.find()).as(property + " enum in " + schema).isTrue();
        return Arrays.stream(found.group(1).split(",")).map(code -> code.strip().replace("\"", "")).toList();
    }
}
