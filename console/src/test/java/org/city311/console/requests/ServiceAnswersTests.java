package org.city311.console.requests;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import org.city311.console.upstream.Catalog;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceAnswersTests {

    static final Catalog.Service STREET_LIGHT = new Catalog.Service("streetlight-out", "Street Light Out", null, null,
            null, "transportation", "realtime", null, List.of(
                    new Catalog.Attribute("light-condition", "singlevaluelist", true, true, 2,
                            "What is wrong with the light?", null, List.of(new Catalog.Value("out", "Out completely"),
                                    new Catalog.Value("flickering", "Flickering"))),
                    new Catalog.Attribute("pole-number", "string", false, true, 1, "Pole number, if visible", null,
                            null),
                    new Catalog.Attribute("hazards", "multivaluelist", false, true, 3, "Anything dangerous nearby?",
                            null, List.of(new Catalog.Value("wires", "Hanging wires"),
                                    new Catalog.Value("glass", "Broken glass")))));

    @Test
    void shouldShowEachAnswerUnderItsQuestionWithTheListsNamesInTheServicesOrder() {
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("hazards", List.of("wires", "glass"));
        given.put("light-condition", "out");
        given.put("pole-number", "P-4471");

        assertThat(ServiceAnswers.of(given, Optional.of(STREET_LIGHT))).containsExactly(
                new ServiceAnswers.Answer("Pole number, if visible", "P-4471"),
                new ServiceAnswers.Answer("What is wrong with the light?", "Out completely"),
                new ServiceAnswers.Answer("Anything dangerous nearby?", "Hanging wires, Broken glass"));
    }

    @Test
    void shouldStillShowAnAnswerTheCatalogNoLongerAsksOrAKeyItNoLongerLists() {
        // a request filed under an older catalog: the question was removed, a list value renamed
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("light-condition", "dim");
        given.put("lamp-type", "sodium");

        assertThat(ServiceAnswers.of(given, Optional.of(STREET_LIGHT))).containsExactly(
                new ServiceAnswers.Answer("What is wrong with the light?", "dim"),
                new ServiceAnswers.Answer("Lamp type", "sodium"));
        // and without the catalog at all (routing-service unavailable), every answer under its code in words
        assertThat(ServiceAnswers.of(given, Optional.empty())).extracting(ServiceAnswers.Answer::question)
                .containsExactly("Light condition", "Lamp type");
    }
}
