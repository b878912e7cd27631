package org.city311.platform.events;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.city311.contracts.Rfc3339;

import tools.jackson.databind.JsonNode;

/**
 * Fields of an event read straight from its JSON, for the plain shapes every producer of ours writes (a string, an
 * RFC 3339 time, a whole number, a boolean, or nothing): binding a record through the event mapper costs more than
 * parsing the event did, and consumers read every event (a rebuild, every event ever published). Anything else
 * ({@link Unusual}: a number where text is expected, a time with no zone) is left to the mapper, so what a field
 * means never depends on which way it was read.
 */
public final class JsonFields {

    private JsonFields() {
    }

    /** A field this class does not read the way the event mapper would: read the event through the mapper. */
    public static final class Unusual extends RuntimeException {

        private static final Unusual INSTANCE = new Unusual();

        private Unusual() {
            super("a field the event mapper reads", null, false, false);
        }
    }

    public static String text(JsonNode object, String field) {
        JsonNode value = present(object, field);
        if (value == null) {
            return null;
        }
        if (!value.isString()) {
            throw Unusual.INSTANCE;
        }
        return value.asString();
    }

    public static Instant instant(JsonNode object, String field) {
        String text = text(object, field);
        if (text == null) {
            return null;
        }
        Instant plain = Rfc3339.instant(text);
        if (plain != null) {
            return plain;
        }
        try {
            return Instant.parse(text);
        }
        catch (DateTimeParseException notPlain) {
            throw Unusual.INSTANCE;
        }
    }

    public static Long wholeNumber(JsonNode object, String field) {
        JsonNode value = present(object, field);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw Unusual.INSTANCE;
        }
        return value.longValue();
    }

    public static Integer smallWholeNumber(JsonNode object, String field) {
        JsonNode value = present(object, field);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw Unusual.INSTANCE;
        }
        return value.intValue();
    }

    public static Boolean bool(JsonNode object, String field) {
        JsonNode value = present(object, field);
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            throw Unusual.INSTANCE;
        }
        return value.booleanValue();
    }

    /** The field's value, or null when it is missing or JSON null (the mapper reads both as null). */
    private static JsonNode present(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value == null || value.isNull() ? null : value;
    }
}
