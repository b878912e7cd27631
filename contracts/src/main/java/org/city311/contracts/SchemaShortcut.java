package org.city311.contracts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import tools.jackson.databind.JsonNode;

/**
 * A schema's "kept" for the events that plainly keep it, answered without the general validator: the validator walks
 * each event with an execution context, paths and annotations, a quarter of metrics-service's work when it folds a
 * year of events again. Compiled from the same schema file, this knows the few keywords our schemas use ({@code type},
 * {@code const}, {@code enum}, {@code required}, {@code properties}, {@code additionalProperties}, string lengths,
 * bounds, {@code pattern}, the {@code date-time} format, {@code items}, {@code anyOf}, {@code $ref} to
 * {@code $defs}).
 * <p>
 * It only ever says "kept" or "not sure": anything it does not know (another keyword or format, a time that is not
 * plain, a pattern checked on text with a line break, a number written as a decimal where an integer is asked for)
 * is "not sure", and the validator then gives the verdict and the messages. So an event is never judged differently,
 * only sooner.
 */
final class SchemaShortcut {

    /** Keywords that assert nothing. */
    private static final Set<String> ANNOTATIONS = Set.of("$schema", "$defs", "$comment", "title", "description",
            "examples", "default", "deprecated");

    private static final Predicate<JsonNode> NOT_SURE = node -> false;

    private final JsonNode root;

    private final Map<String, Predicate<JsonNode>> definitions = new HashMap<>();

    private final Predicate<JsonNode> check;

    private SchemaShortcut(JsonNode root) {
        this.root = root;
        this.check = compile(root, 0);
    }

    /** The shortcut of a whole schema document. */
    static SchemaShortcut of(JsonNode schema) {
        return new SchemaShortcut(schema);
    }

    /** True when the instance certainly keeps the schema; false when the general validator must judge it. */
    boolean plainlyKeeps(JsonNode instance) {
        return check.test(instance);
    }

    private Predicate<JsonNode> compile(JsonNode schema, int depth) {
        if (schema.isBoolean()) {
            return schema.booleanValue() ? node -> true : NOT_SURE;
        }
        if (!schema.isObject() || depth > 64) {
            return NOT_SURE;
        }
        List<Predicate<JsonNode>> checks = new ArrayList<>();
        JsonNode properties = schema.get("properties");
        for (Map.Entry<String, JsonNode> keyword : schema.properties()) {
            String name = keyword.getKey();
            JsonNode value = keyword.getValue();
            if (ANNOTATIONS.contains(name)) {
                continue;
            }
            Predicate<JsonNode> check = switch (name) {
                case "type" -> type(value);
                case "const" -> value.isString() ? equalString(Set.of(value.stringValue())) : NOT_SURE;
                case "enum" -> enumeration(value);
                case "required" -> required(value);
                case "properties" -> properties(value, depth);
                case "additionalProperties" -> additionalProperties(value, properties, depth);
                case "minLength" -> value.isIntegralNumber() ? minLength(value.intValue()) : NOT_SURE;
                case "maxLength" -> value.isIntegralNumber() ? maxLength(value.intValue()) : NOT_SURE;
                case "minimum" -> value.isNumber() ? minimum(value.doubleValue()) : NOT_SURE;
                case "maximum" -> value.isNumber() ? maximum(value.doubleValue()) : NOT_SURE;
                case "minItems" -> value.isIntegralNumber() ? minItems(value.intValue()) : NOT_SURE;
                case "pattern" -> value.isString() ? pattern(value.stringValue()) : NOT_SURE;
                case "format" -> "date-time".equals(value.asString()) ? SchemaShortcut::plainTime : NOT_SURE;
                case "items" -> items(compile(value, depth + 1));
                case "anyOf" -> anyOf(value, depth);
                case "$ref" -> reference(value, depth);
                default -> NOT_SURE;
            };
            checks.add(check);
        }
        Predicate<JsonNode>[] all = checks.toArray(Predicate[]::new);
        return node -> {
            for (Predicate<JsonNode> check : all) {
                if (!check.test(node)) {
                    return false;
                }
            }
            return true;
        };
    }

    private static Predicate<JsonNode> type(JsonNode value) {
        List<String> names = new ArrayList<>();
        if (value.isString()) {
            names.add(value.stringValue());
        }
        else if (value.isArray()) {
            for (JsonNode name : value.values()) {
                if (!name.isString()) {
                    return NOT_SURE;
                }
                names.add(name.stringValue());
            }
        }
        else {
            return NOT_SURE;
        }
        boolean string = names.contains("string");
        boolean object = names.contains("object");
        boolean array = names.contains("array");
        boolean number = names.contains("number");
        // An integer written as 1.0 is one for JSON Schema; such a rare case is left to the validator.
        boolean integer = names.contains("integer");
        boolean bool = names.contains("boolean");
        boolean nul = names.contains("null");
        return node -> (string && node.isString()) || (object && node.isObject()) || (array && node.isArray())
                || (number && node.isNumber()) || (integer && node.isIntegralNumber()) || (bool && node.isBoolean())
                || (nul && node.isNull());
    }

    private static Predicate<JsonNode> equalString(Set<String> allowed) {
        return node -> node.isString() && allowed.contains(node.stringValue());
    }

    private static Predicate<JsonNode> enumeration(JsonNode value) {
        if (!value.isArray()) {
            return NOT_SURE;
        }
        Set<String> allowed = new HashSet<>();
        boolean nullAllowed = false;
        for (JsonNode option : value.values()) {
            if (option.isNull()) {
                nullAllowed = true;
            }
            else if (option.isString()) {
                allowed.add(option.stringValue());
            }
            else {
                return NOT_SURE;
            }
        }
        Predicate<JsonNode> string = equalString(allowed);
        return nullAllowed ? string.or(JsonNode::isNull) : string;
    }

    private static Predicate<JsonNode> required(JsonNode value) {
        if (!value.isArray()) {
            return NOT_SURE;
        }
        String[] names = new String[value.size()];
        for (int i = 0; i < names.length; i++) {
            if (!value.get(i).isString()) {
                return NOT_SURE;
            }
            names[i] = value.get(i).stringValue();
        }
        return node -> {
            if (!node.isObject()) {
                return true;
            }
            for (String name : names) {
                if (node.get(name) == null) {
                    return false;
                }
            }
            return true;
        };
    }

    private Predicate<JsonNode> properties(JsonNode value, int depth) {
        if (!value.isObject()) {
            return NOT_SURE;
        }
        Map<String, Predicate<JsonNode>> checks = new HashMap<>();
        for (Map.Entry<String, JsonNode> property : value.properties()) {
            checks.put(property.getKey(), compile(property.getValue(), depth + 1));
        }
        return node -> {
            if (!node.isObject()) {
                return true;
            }
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                Predicate<JsonNode> check = checks.get(field.getKey());
                if (check != null && !check.test(field.getValue())) {
                    return false;
                }
            }
            return true;
        };
    }

    private Predicate<JsonNode> additionalProperties(JsonNode value, JsonNode properties, int depth) {
        if (properties != null && !properties.isObject()) {
            return NOT_SURE;
        }
        Set<String> declared = properties == null ? Set.of() : new HashSet<>(properties.propertyNames());
        Predicate<JsonNode> check = compile(value, depth + 1);
        return node -> {
            if (!node.isObject()) {
                return true;
            }
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (!declared.contains(field.getKey()) && !check.test(field.getValue())) {
                    return false;
                }
            }
            return true;
        };
    }

    // Lengths count characters as code points; a pair of UTF-16 surrogates is one character. Counting the other way
    // where it is the stricter (code points for a minimum, UTF-16 units for a maximum) can only say "not sure".
    private static Predicate<JsonNode> minLength(int minimum) {
        return node -> {
            if (!node.isString()) {
                return true;
            }
            String text = node.stringValue();
            return text.codePointCount(0, text.length()) >= minimum;
        };
    }

    private static Predicate<JsonNode> maxLength(int maximum) {
        return node -> !node.isString() || node.stringValue().length() <= maximum;
    }

    private static Predicate<JsonNode> minimum(double minimum) {
        return node -> !node.isNumber() || (plainNumber(node) && node.doubleValue() >= minimum);
    }

    private static Predicate<JsonNode> maximum(double maximum) {
        return node -> !node.isNumber() || (plainNumber(node) && node.doubleValue() <= maximum);
    }

    /** Numbers a double holds as they were read: anything longer or more precise is for the validator. */
    private static boolean plainNumber(JsonNode node) {
        return node.isInt() || node.isLong() || node.isDouble();
    }

    private static Predicate<JsonNode> minItems(int minimum) {
        return node -> !node.isArray() || node.size() >= minimum;
    }

    // The validator reads $ as the end of the text; Java's $ also matches before a final line break. On text without
    // line breaks the two agree, and text with one is left to the validator.
    private static Predicate<JsonNode> pattern(String expression) {
        Pattern pattern;
        try {
            pattern = Pattern.compile(expression);
        }
        catch (PatternSyntaxException notJava) {
            // ECMAScript has forms Java does not (the validator translates some): left to the validator
            return NOT_SURE;
        }
        return node -> !node.isString()
                || (!hasLineBreak(node.stringValue()) && pattern.matcher(node.stringValue()).find());
    }

    private static boolean hasLineBreak(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                return true;
            }
        }
        return false;
    }

    private static boolean plainTime(JsonNode node) {
        return !node.isString() || Rfc3339.instant(node.stringValue()) != null;
    }

    private static Predicate<JsonNode> items(Predicate<JsonNode> check) {
        return node -> {
            if (!node.isArray()) {
                return true;
            }
            for (JsonNode item : node.values()) {
                if (!check.test(item)) {
                    return false;
                }
            }
            return true;
        };
    }

    private Predicate<JsonNode> anyOf(JsonNode value, int depth) {
        if (!value.isArray() || value.isEmpty()) {
            return NOT_SURE;
        }
        // kept when one branch is plainly kept
        Predicate<JsonNode> any = NOT_SURE;
        for (JsonNode branch : value.values()) {
            any = any.or(compile(branch, depth + 1));
        }
        return any;
    }

    private Predicate<JsonNode> reference(JsonNode value, int depth) {
        String prefix = "#/$defs/";
        if (!value.isString() || !value.stringValue().startsWith(prefix)) {
            return NOT_SURE;
        }
        String name = value.stringValue().substring(prefix.length());
        JsonNode target = root.path("$defs").get(name);
        if (target == null || name.contains("/") || name.contains("~") || name.contains("%")) {
            return NOT_SURE;
        }
        Predicate<JsonNode> known = definitions.get(name);
        if (known == null) {
            known = compile(target, depth + 1);
            definitions.put(name, known);
        }
        return known;
    }
}
