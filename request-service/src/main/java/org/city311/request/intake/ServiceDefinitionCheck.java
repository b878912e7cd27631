package org.city311.request.intake;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.city311.contracts.AttributeDatatype;
import org.city311.platform.web.Problems.FieldProblem;
import org.city311.request.catalog.CatalogSnapshot;

/**
 * Checks a request's attributes against its service's definition, the Open311 way: every required question
 * answered, each answer of its datatype, list answers among the listed values. Every problem is reported, not just
 * the first.
 */
final class ServiceDefinitionCheck {

    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final int MAX_VALUE_LENGTH = 1000;
    private static final int MAX_VALUES = 50;

    private ServiceDefinitionCheck() {
    }

    /**
     * @param given attribute code to a text, number, boolean, or a list of those
     * @param problems where every problem found is added
     * @return the answers as stored and published: text for single values, a list of text for multivaluelist
     */
    static Map<String, Object> attributes(CatalogSnapshot.Service service, Map<String, Object> given,
            List<FieldProblem> problems) {
        Map<String, Object> answers = new LinkedHashMap<>();
        Map<String, CatalogSnapshot.Attribute> definitions = service.attributes().stream()
                .collect(Collectors.toMap(CatalogSnapshot.Attribute::code, attribute -> attribute));
        Map<String, Object> values = given == null ? Map.of() : given;
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            String field = "attributes." + entry.getKey();
            if (!CODE.matcher(entry.getKey()).matches()) {
                problems.add(new FieldProblem("attributes", "attribute codes are 1-64 letters, digits, '_', '.' or '-'"));
                continue;
            }
            CatalogSnapshot.Attribute definition = definitions.get(entry.getKey());
            if (definition == null) {
                problems.add(new FieldProblem(field, "service " + service.code() + " has no attribute "
                        + entry.getKey() + "; its attributes are " + definitions.keySet()));
                continue;
            }
            if (!definition.variable()) {
                continue; // information only: nothing to answer
            }
            Object answer = answer(definition, entry.getValue(), field, problems);
            if (answer != null) {
                answers.put(definition.code(), answer);
            }
        }
        for (CatalogSnapshot.Attribute definition : service.attributes()) {
            if (definition.required() && definition.variable() && !answers.containsKey(definition.code())) {
                problems.add(new FieldProblem("attributes." + definition.code(), "required: "
                        + (definition.description() == null ? definition.code() : definition.description())));
            }
        }
        return answers;
    }

    private static Object answer(CatalogSnapshot.Attribute definition, Object value, String field,
            List<FieldProblem> problems) {
        List<String> texts = texts(value, field, problems);
        if (texts == null) {
            return null;
        }
        texts = texts.stream().map(String::strip).filter(text -> !text.isEmpty()).toList();
        if (texts.isEmpty()) {
            return null; // an empty answer is no answer (Open311: empty optional arguments are absent)
        }
        if (!definition.kind().allowsSeveral() && texts.size() > 1) {
            problems.add(new FieldProblem(field, "takes one value, not " + texts.size()));
            return null;
        }
        int before = problems.size();
        for (String text : texts) {
            check(definition, text, field, problems);
        }
        if (problems.size() > before) {
            return null;
        }
        return definition.kind().allowsSeveral() ? List.copyOf(texts) : texts.get(0);
    }

    private static void check(CatalogSnapshot.Attribute definition, String text, String field,
            List<FieldProblem> problems) {
        if (text.length() > MAX_VALUE_LENGTH) {
            problems.add(new FieldProblem(field, "at most " + MAX_VALUE_LENGTH + " characters"));
            return;
        }
        TextRules.check(field, text, definition.kind() == AttributeDatatype.TEXT, problems);
        switch (definition.kind()) {
            case NUMBER -> {
                try {
                    new BigDecimal(text);
                }
                catch (NumberFormatException ex) {
                    problems.add(new FieldProblem(field, "a number, such as 3 or 2.5"));
                }
            }
            case DATETIME -> {
                try {
                    OffsetDateTime.parse(text);
                }
                catch (DateTimeParseException ex) {
                    problems.add(new FieldProblem(field,
                            "a date and time with its offset, such as 2026-11-23T08:15:00-05:00"));
                }
            }
            case SINGLEVALUELIST, MULTIVALUELIST -> {
                Set<String> keys = definition.values().stream().map(CatalogSnapshot.Value::key)
                        .collect(Collectors.toSet());
                if (!keys.contains(text)) {
                    problems.add(new FieldProblem(field, "'" + text + "' is not one of " + keys));
                }
            }
            case STRING, TEXT -> {
                // any text within the rules above
            }
        }
    }

    private static List<String> texts(Object value, String field, List<FieldProblem> problems) {
        if (value instanceof Collection<?> values) {
            if (values.size() > MAX_VALUES) {
                problems.add(new FieldProblem(field, "at most " + MAX_VALUES + " values"));
                return null;
            }
            List<String> texts = new ArrayList<>();
            for (Object each : values) {
                if (!scalar(each)) {
                    problems.add(new FieldProblem(field, "values are text, numbers or true/false"));
                    return null;
                }
                texts.add(each.toString());
            }
            return texts;
        }
        if (value == null) {
            return List.of();
        }
        if (!scalar(value)) {
            problems.add(new FieldProblem(field, "an attribute value is text, a number, true/false, or a list of those"));
            return null;
        }
        return List.of(value.toString());
    }

    private static boolean scalar(Object value) {
        return value instanceof String || value instanceof Number || value instanceof Boolean;
    }
}
