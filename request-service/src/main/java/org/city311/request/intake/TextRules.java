package org.city311.request.intake;

import java.util.List;

import org.city311.platform.web.Problems.FieldProblem;

/**
 * What free text may hold. Control characters are refused (other than tab and, where several lines make sense,
 * line breaks): they corrupt exports, logs and the XML of Open311. HTML is accepted as plain text; it is escaped
 * wherever it is shown.
 */
public final class TextRules {

    private TextRules() {
    }

    public static void check(String field, String text, boolean multiline, List<FieldProblem> problems) {
        if (text == null) {
            return;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean lineBreak = c == '\n' || c == '\r';
            if (lineBreak && !multiline) {
                problems.add(new FieldProblem(field, "one line only"));
                return;
            }
            if (!lineBreak && c != '\t' && (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\uFFFE' || c == '\uFFFF')) {
                problems.add(new FieldProblem(field, "contains a control character (U+%04X)".formatted((int) c)));
                return;
            }
        }
    }
}
