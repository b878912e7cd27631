package org.city311.request.open311;

import java.util.List;

/**
 * Free text Open311 stores itself (client updates), held to intake's rules: no control characters but tab and,
 * where several lines make sense, line breaks; HTML is plain text, escaped wherever it is shown.
 */
final class TextCheck {

    private TextCheck() {
    }

    static void check(String field, String text, int maxLength, boolean multiline, List<String> problems) {
        if (text.length() > maxLength) {
            problems.add(field + ": at most " + maxLength + " characters, not " + text.length());
            return;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean lineBreak = c == '\n' || c == '\r';
            if (lineBreak && !multiline) {
                problems.add(field + ": one line only");
                return;
            }
            if (!lineBreak && c != '\t' && (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\uFFFE' || c == '\uFFFF')) {
                problems.add(field + ": contains a control character (U+%04X)".formatted((int) c));
                return;
            }
        }
    }
}
