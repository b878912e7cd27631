package org.city311.request.open311;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One Open311 answer as a small tree, rendered to XML and to JSON by {@link Rendering}: both formats are produced
 * from the same tree, so they always carry the same content.
 */
sealed interface Node permits Node.Field, Node.Group, Node.Items {

    String name();

    /**
     * A single value: text, a number, true/false, a moment (written as a W3C datetime), or empty.
     * XML {@code <name>value</name>}, JSON {@code "name": value} ({@code null} when empty).
     */
    record Field(String name, Object value) implements Node {

        public Field {
            Objects.requireNonNull(name);
            if (value != null && !(value instanceof String || value instanceof Number || value instanceof Boolean
                    || value instanceof Instant)) {
                throw new IllegalArgumentException(name + ": unsupported value type " + value.getClass());
            }
        }
    }

    /** An element with children. XML {@code <name>children</name>}, JSON an object. */
    record Group(String name, List<Node> children) implements Node {

        public Group {
            Objects.requireNonNull(name);
            children = children.stream().filter(Objects::nonNull).toList();
        }
    }

    /**
     * A list. XML {@code <name>} wrapping one element per item, JSON an array of the items (Spark convention:
     * the wrapper's name becomes the key, or disappears at the top level).
     */
    record Items(String name, List<? extends Node> items) implements Node {

        public Items {
            Objects.requireNonNull(name);
            items = List.copyOf(items);
        }
    }

    static Field field(String name, Object value) {
        return new Field(name, value);
    }

    static Group group(String name, Node... children) {
        return new Group(name, Arrays.asList(children));
    }

    static Group group(String name, List<Node> children) {
        return new Group(name, children);
    }

    static Items items(String name, List<? extends Node> items) {
        return new Items(name, items);
    }
}
