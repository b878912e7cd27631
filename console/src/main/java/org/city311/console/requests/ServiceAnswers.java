package org.city311.console.requests;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.city311.console.upstream.Catalog;
import org.city311.console.web.Words;

/**
 * A request's answers as the call-taker heard them asked: each under its question from the catalog ("Pole number on
 * the light, if visible", not {@code pole-number}) and a list's keys by their names ("Out", not {@code out}), in the
 * service's order. An answer to a question the catalog no longer has is still shown, under its code in words.
 */
final class ServiceAnswers {

    /** One answer: the question as asked, and what the caller said. */
    record Answer(String question, String answer) {
    }

    private ServiceAnswers() {
    }

    static List<Answer> of(Map<String, Object> given, Optional<Catalog.Service> service) {
        Map<String, Object> left = new LinkedHashMap<>(given);
        List<Answer> answers = new ArrayList<>();
        for (Catalog.Attribute attribute : service.map(Catalog.Service::attributes).orElse(List.of())) {
            if (left.containsKey(attribute.code())) {
                answers.add(new Answer(question(attribute), named(left.remove(attribute.code()), attribute)));
            }
        }
        left.forEach((code, value) -> answers.add(new Answer(Words.readable(code), named(value, null))));
        return answers;
    }

    private static String question(Catalog.Attribute attribute) {
        return attribute.description() != null && !attribute.description().isBlank() ? attribute.description()
                : Words.readable(attribute.code());
    }

    private static String named(Object value, Catalog.Attribute attribute) {
        if (value instanceof Collection<?> several) {
            return several.stream().map(one -> named(one, attribute)).collect(Collectors.joining(", "));
        }
        String key = String.valueOf(value);
        if (attribute == null) {
            return key;
        }
        return attribute.values().stream().filter(listed -> listed.key().equals(key)).map(Catalog.Value::name)
                .findFirst().orElse(key);
    }
}
