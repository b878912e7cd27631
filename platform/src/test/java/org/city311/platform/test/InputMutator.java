package org.city311.platform.test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Valid inputs broken the ways clients and attackers break them, reproducibly from a seeded {@link Random}. */
public final class InputMutator {

    private static final List<String> ODD_VALUES = List.of("null", "true", "-1", "1e309", "NaN", "\"\"", "[]",
            "{}", "{\"$gt\": \"\"}", "\"" + "x".repeat(5000) + "\"", "[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]",
            "\"\\u0000\"", "\"<script>alert(1)</script>\"", "\"../../etc/passwd\"", "9999999999999999999999",
            "\"2026-13-45T99:99:99Z\"", "\"\\ud800\"");

    private final Random random;

    public InputMutator(Random random) {
        this.random = random;
    }

    public byte[] mutateJson(String valid) {
        String text = valid;
        switch (random.nextInt(6)) {
            case 0 -> text = text.substring(0, random.nextInt(text.length())); // truncated
            case 1 -> text = replaceValue(text);
            case 2 -> text = replaceValue(replaceValue(replaceValue(text)));
            case 3 -> text = "{\"" + word() + "\": " + odd() + ", " + text.substring(text.indexOf('{') + 1);
            case 4 -> {
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < 1 + random.nextInt(4); i++) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
                return bytes;
            }
            default -> text = odd();
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public byte[] mutateForm(String valid) {
        List<String> pairs = new ArrayList<>(List.of(valid.split("&")));
        switch (random.nextInt(5)) {
            case 0 -> pairs.remove(random.nextInt(pairs.size()));
            case 1 -> {
                int i = random.nextInt(pairs.size());
                String key = pairs.get(i).substring(0, pairs.get(i).indexOf('='));
                pairs.set(i, key + "=" + java.net.URLEncoder.encode(stripQuotes(odd()), StandardCharsets.UTF_8));
            }
            case 2 -> {
                String pair = pairs.get(random.nextInt(pairs.size()));
                pairs.add(pair.substring(0, Math.max(0, pair.indexOf('='))) + "=" + word());
            }
            case 3 -> pairs.add("attribute[" + word() + "]=" + word());
            default -> pairs.set(random.nextInt(pairs.size()), "%zz%" + word() + "=&&==");
        }
        return String.join("&", pairs).getBytes(StandardCharsets.UTF_8);
    }

    private String replaceValue(String json) {
        List<int[]> values = new ArrayList<>();
        java.util.regex.Matcher matcher = java.util.regex.Pattern
                .compile(":\\s*(\"[^\"]*\"|-?[0-9.]+|true|false|null)").matcher(json);
        while (matcher.find()) {
            values.add(new int[] { matcher.start(1), matcher.end(1) });
        }
        if (values.isEmpty()) {
            return json;
        }
        int[] chosen = values.get(random.nextInt(values.size()));
        return json.substring(0, chosen[0]) + odd() + json.substring(chosen[1]);
    }

    private String odd() {
        return ODD_VALUES.get(random.nextInt(ODD_VALUES.size()));
    }

    private String word() {
        return List.of("serviceCode", "channel", "x", "$where", "__proto__", "resident", "id", "status",
                "filedBy", "outbox").get(random.nextInt(10));
    }

    private static String stripQuotes(String value) {
        return value.startsWith("\"") && value.endsWith("\"") && value.length() > 1
                ? value.substring(1, value.length() - 1) : value;
    }
}
