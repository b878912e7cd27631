package org.city311.request.open311;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.util.MultiValueMap;

/**
 * The arguments of one Open311 call, from the query string or an {@code application/x-www-form-urlencoded} body,
 * read the spec's way: an empty value is the same as an absent one. Every value comes out typed (text, a moment,
 * a number), so nothing a client sends ever reaches a query as anything but a value.
 */
final class Parameters {

    static final int MAX_PARAMETERS = 1000;
    static final int MAX_LIST_ITEMS = 200;
    private static final int MAX_NAME_LENGTH = 200;
    private static final Pattern ATTRIBUTE = Pattern.compile("attribute\\[([^\\[\\]]*)](\\[])?");

    private final Map<String, List<String>> values;

    private Parameters(Map<String, List<String>> values) {
        this.values = values;
    }

    static Parameters of(MultiValueMap<String, String> query) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        query.forEach((name, given) -> values.put(name, given.stream().map(v -> v == null ? "" : v).toList()));
        return new Parameters(values);
    }

    /**
     * Parses a form body. Percent-escapes are decoded to bytes first and the bytes read in the body's charset, so
     * both escaped and raw UTF-8 arrive intact; a malformed escape or a byte sequence invalid in the charset is a
     * 400 naming it, never a guess.
     */
    static Parameters form(byte[] body, Charset charset) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        int count = 0;
        int start = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i < body.length && body[i] != '&') {
                continue;
            }
            if (i > start) {
                if (++count > MAX_PARAMETERS) {
                    throw Open311Exception.badRequest("the form has more than " + MAX_PARAMETERS + " fields");
                }
                int equals = indexOf(body, (byte) '=', start, i);
                String name = decode(body, start, equals < 0 ? i : equals, charset, "a field name");
                String value = equals < 0 ? "" : decode(body, equals + 1, i, charset, name);
                if (name.length() > MAX_NAME_LENGTH) {
                    throw Open311Exception.badRequest("the form has a field name longer than " + MAX_NAME_LENGTH
                            + " characters");
                }
                values.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
            }
            start = i + 1;
        }
        return new Parameters(values);
    }

    /** These arguments followed by {@code more} (a form's fields after its query string's). */
    Parameters and(Parameters more) {
        Map<String, List<String>> merged = new LinkedHashMap<>();
        values.forEach((name, given) -> merged.put(name, new ArrayList<>(given)));
        more.values.forEach((name, given) -> merged.computeIfAbsent(name, key -> new ArrayList<>()).addAll(given));
        return new Parameters(merged);
    }

    /** The one value of an argument, or null when absent or empty; different values for one name are refused. */
    String text(String name) {
        List<String> given = all(name);
        if (given.stream().distinct().count() > 1) {
            throw Open311Exception.badRequest(name + ": given more than once with different values");
        }
        return given.isEmpty() ? null : given.get(0);
    }

    /** Every non-empty value given for a repeatable argument (FixMyStreet repeats media_url). */
    List<String> all(String name) {
        return values.getOrDefault(name, List.of()).stream().filter(value -> !value.isBlank()).toList();
    }

    /** A comma-separated list ({@code service_code=pothole,graffiti}), items trimmed, empty items skipped. */
    List<String> list(String name) {
        String text = text(name);
        if (text == null) {
            return List.of();
        }
        List<String> items = Arrays.stream(text.split(",")).map(String::strip).filter(item -> !item.isEmpty())
                .distinct().toList();
        if (items.size() > MAX_LIST_ITEMS) {
            throw Open311Exception.badRequest(name + ": at most " + MAX_LIST_ITEMS + " items");
        }
        return items;
    }

    /**
     * A W3C datetime with its offset ({@code 2026-11-23T14:05:12Z}, {@code 2026-11-23T09:05:12-05:00}). A space
     * where the offset's '+' belongs is read as '+': clients often forget to escape it in a query string.
     */
    Instant datetime(String name) {
        String text = text(name);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.strip().replace(' ', '+'), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        }
        catch (DateTimeParseException ex) {
            throw Open311Exception.badRequest(name + ": '" + abbreviate(text)
                    + "' is not a W3C datetime with an offset, such as 2026-11-23T14:05:12Z or 2026-11-23T09:05:12-05:00");
        }
    }

    Integer integer(String name, int min, int max) {
        String text = text(name);
        if (text == null) {
            return null;
        }
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= min && value <= max) {
                return value;
            }
        }
        catch (NumberFormatException ex) {
            // answered below
        }
        throw Open311Exception.badRequest(name + ": a whole number from " + min + " to " + max + ", not '"
                + abbreviate(text) + "'");
    }

    boolean flag(String name) {
        String text = text(name);
        if (text == null) {
            return false;
        }
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw Open311Exception.badRequest(name + ": true or false, not '" + abbreviate(text) + "'");
        };
    }

    /**
     * The {@code attribute[CODE]} fields: one value is text; several values, or the {@code attribute[CODE][]} form,
     * a list (Open311's multivaluelist; FixMyStreet repeats {@code attribute[CODE]} instead). Keys of any other
     * shape are refused, naming the key.
     */
    Map<String, Object> attributes() {
        Map<String, List<String>> answers = new LinkedHashMap<>();
        Map<String, Boolean> listForm = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        values.forEach((name, given) -> {
            if (!name.startsWith("attribute[")) {
                return;
            }
            Matcher matcher = ATTRIBUTE.matcher(name);
            if (!matcher.matches() || matcher.group(1).isBlank()) {
                problems.add(abbreviate(name) + ": not an attribute field; send attribute[CODE]=value, and "
                        + "attribute[CODE][]=value once per value of a multivaluelist");
                return;
            }
            String code = matcher.group(1);
            answers.computeIfAbsent(code, key -> new ArrayList<>())
                    .addAll(given.stream().filter(value -> !value.isBlank()).toList());
            listForm.merge(code, matcher.group(2) != null, Boolean::logicalOr);
        });
        if (!problems.isEmpty()) {
            throw Open311Exception.badRequest(problems);
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        answers.forEach((code, given) -> {
            if (!given.isEmpty()) {
                attributes.put(code, given.size() == 1 && !listForm.get(code) ? given.get(0) : List.copyOf(given));
            }
        });
        return attributes;
    }

    static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    private static int indexOf(byte[] bytes, byte wanted, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static String decode(byte[] body, int from, int to, Charset charset, String what) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            byte b = body[i];
            if (b == '+') {
                bytes.write(' ');
            }
            else if (b == '%') {
                int high = i + 2 < to ? Character.digit(body[i + 1], 16) : -1;
                int low = high < 0 ? -1 : Character.digit(body[i + 2], 16);
                if (low < 0) {
                    throw Open311Exception.badRequest(what + ": malformed percent-encoding in the form body ('%' must "
                            + "be followed by two hexadecimal digits)");
                }
                bytes.write((high << 4) + low);
                i += 2;
            }
            else {
                bytes.write(b);
            }
        }
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        }
        catch (CharacterCodingException ex) {
            throw Open311Exception.badRequest(what + ": not valid " + charset.name() + " text");
        }
    }
}
