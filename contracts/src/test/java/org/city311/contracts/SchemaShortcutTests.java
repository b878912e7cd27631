package org.city311.contracts;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The schemas' shortcut against the general validator: it may say "not sure" where the validator finds nothing, never
 * "kept" where the validator finds a violation (a poison event would then be folded instead of dead-lettered).
 */
class SchemaShortcutTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Values put in place of each field of each example: of every JSON type, at and past each kind of limit. */
    private static final List<JsonNode> VALUES = List.of(
            NODES.nullNode(), NODES.stringNode(""), NODES.stringNode("x"), NODES.stringNode("housing"),
            NODES.stringNode("UPPER"), NODES.stringNode("a b"), NODES.stringNode("abc\n"), NODES.stringNode("a\u2028"),
            NODES.stringNode("-lead"), NODES.stringNode("phone"), NODES.stringNode("resident"),
            NODES.stringNode("open311:"), NODES.stringNode("open311:app"), NODES.stringNode("a".repeat(64)),
            NODES.stringNode("a".repeat(65)), NODES.stringNode("f".repeat(64)), NODES.stringNode("x".repeat(201)),
            NODES.stringNode("x".repeat(4001)), NODES.stringNode("\uD83D\uDE00".repeat(2000)),
            NODES.stringNode("\uD83D\uDE00".repeat(2001)), NODES.stringNode("\uD83D"), NODES.stringNode("08:00-17:30"),
            NODES.stringNode("25:00-26:00"), NODES.stringNode("BULKY_ITEM"), NODES.stringNode("America/New_York"),
            NODES.stringNode("2026-03-01T09:00:00Z"), NODES.stringNode("2026-03-01T09:00:00.123456789+05:30"),
            NODES.stringNode("2026-02-30T09:00:00Z"), NODES.stringNode("2026-03-01T09:00:60Z"),
            NODES.stringNode("2016-12-31T23:59:60Z"), NODES.stringNode("2026-03-01t09:00:00z"),
            NODES.stringNode("2026-03-01"), NODES.stringNode("23/11/2026 14:05"), NODES.numberNode(0),
            NODES.numberNode(-1), NODES.numberNode(1), NODES.numberNode(5), NODES.numberNode(1.0),
            NODES.numberNode(1.5), NODES.numberNode(-90.0), NODES.numberNode(-90.5), NODES.numberNode(90.0000001),
            NODES.numberNode(180.0), NODES.numberNode(-181), NODES.numberNode(1e300), NODES.numberNode(Long.MAX_VALUE),
            NODES.numberNode(new BigInteger("123456789012345678901234567890")),
            NODES.numberNode(new BigDecimal("89.99999999999999999999999")), NODES.booleanNode(true),
            NODES.arrayNode(), NODES.arrayNode().add("x"), NODES.arrayNode().add(1), NODES.objectNode(),
            NODES.objectNode().put("x", "y"));

    static List<String> types() {
        return List.copyOf(EventContract.types());
    }

    @ParameterizedTest
    @MethodSource("types")
    void shouldTakeEveryExampleAsKeptWithoutTheValidatorButTheCatalogs(String type) {
        JsonNode example = example(type);

        assertThat(EventContract.schemaViolations(type, example)).isEmpty();
        // The catalog's schema names its keys with propertyNames, which the shortcut leaves to the validator.
        assertThat(EventContract.plainlyKeeps(type, example)).isEqualTo(!EventContract.CATALOG_PUBLISHED.equals(type));
    }

    @ParameterizedTest
    @MethodSource("types")
    void shouldNeverTakeAsKeptAnEventTheValidatorRefuses(String type) {
        List<ObjectNode> events = mutations(example(type), new Random(type.hashCode()));
        int kept = 0;
        int keptByValidator = 0;
        for (ObjectNode event : events) {
            List<String> violations = EventContract.schemaViolations(type, event);
            boolean plainlyKept = EventContract.plainlyKeeps(type, event);
            if (plainlyKept) {
                assertThat(violations).as("what the validator finds in %s", event).isEmpty();
                kept++;
            }
            if (violations.isEmpty()) {
                keptByValidator++;
            }
        }
        assertThat(events).hasSizeGreaterThan(500);
        if (!EventContract.CATALOG_PUBLISHED.equals(type)) {
            // What the validator keeps, the shortcut keeps too but for the rare values it leaves to the validator
            // (a leap second, text with a line break, a decimal or a number longer than a double).
            assertThat(kept).as("kept by the shortcut of %d kept by the validator", keptByValidator)
                    .isGreaterThan(keptByValidator * 8 / 10);
        }
    }

    @Test
    void shouldLeaveToTheValidatorWhatItDoesNotKnow() {
        JsonNode schema = JSON.readTree("""
                {"type": "object", "properties": {"n": {"type": "integer", "multipleOf": 2},
                 "t": {"type": "string", "format": "date-time"}, "p": {"type": "string", "pattern": "^[a-z]+$"},
                 "e": {"type": "string", "pattern": "^\\\\p{Letter}+$"}}}""");
        SchemaShortcut shortcut = SchemaShortcut.of(schema);

        assertThat(shortcut.plainlyKeeps(JSON.readTree("{\"t\": \"2026-03-01T09:00:00Z\", \"p\": \"abc\"}"))).isTrue();
        assertThat(shortcut.plainlyKeeps(JSON.readTree("{\"n\": 4}"))).as("an unknown keyword").isFalse();
        assertThat(shortcut.plainlyKeeps(JSON.readTree("{\"t\": \"2016-12-31T23:59:60Z\"}"))).as("a leap second")
                .isFalse();
        assertThat(shortcut.plainlyKeeps(JSON.readTree("{\"p\": \"abc\\n\"}"))).as("a line break").isFalse();
        assertThat(shortcut.plainlyKeeps(JSON.readTree("{\"e\": \"abc\"}"))).as("an ECMAScript-only pattern")
                .isFalse();
    }

    private static JsonNode example(String type) {
        return JSON.readTree(EventContract.example(type));
    }

    /** The example with each field, in turn, removed or given each of the values; and an unknown field added. */
    private static List<ObjectNode> mutations(JsonNode example, Random random) {
        List<ObjectNode> events = new ArrayList<>();
        List<List<Object>> paths = new ArrayList<>();
        collectPaths(example, new ArrayList<>(), paths);
        for (List<Object> path : paths) {
            events.add(changed(example, path, null));
            for (JsonNode value : VALUES) {
                events.add(changed(example, path, value));
            }
        }
        for (List<Object> path : paths) {
            events.add(changedAt(example, path, node -> {
                if (node instanceof ObjectNode object) {
                    object.set("unknownField", VALUES.get(random.nextInt(VALUES.size())));
                }
            }));
        }
        // And two changes at once, at random.
        for (int i = 0; i < 300; i++) {
            ObjectNode once = changed(example, paths.get(random.nextInt(paths.size())),
                    VALUES.get(random.nextInt(VALUES.size())));
            List<Object> second = paths.get(random.nextInt(paths.size()));
            events.add(changed(once, second, VALUES.get(random.nextInt(VALUES.size()))));
        }
        return events;
    }

    private static void collectPaths(JsonNode node, List<Object> at, List<List<Object>> paths) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                List<Object> path = new ArrayList<>(at);
                path.add(field.getKey());
                paths.add(path);
                collectPaths(field.getValue(), path, paths);
            }
        }
        else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                List<Object> path = new ArrayList<>(at);
                path.add(i);
                paths.add(path);
                collectPaths(node.get(i), path, paths);
            }
        }
    }

    /** A copy with the value at the path replaced (removed when null). */
    private static ObjectNode changed(JsonNode event, List<Object> path, JsonNode value) {
        List<Object> parent = path.subList(0, path.size() - 1);
        Object last = path.get(path.size() - 1);
        return changedAt(event, parent, node -> {
            if (node instanceof ObjectNode object && last instanceof String name) {
                if (value == null) {
                    object.remove(name);
                }
                else {
                    object.set(name, value.deepCopy());
                }
            }
            else if (node instanceof ArrayNode array && last instanceof Integer index && index < array.size()) {
                if (value == null) {
                    array.remove(index);
                }
                else {
                    array.set(index, value.deepCopy());
                }
            }
        });
    }

    private static ObjectNode changedAt(JsonNode event, List<Object> path, Consumer<JsonNode> change) {
        ObjectNode copy = (ObjectNode) event.deepCopy();
        JsonNode node = copy;
        for (Object step : path) {
            node = step instanceof String name ? node.get(name) : node.get((Integer) step);
            if (node == null) {
                return copy;
            }
        }
        change.accept(node);
        return copy;
    }
}
