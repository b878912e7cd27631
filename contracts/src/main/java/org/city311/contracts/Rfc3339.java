package org.city311.contracts;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The times events carry, read by hand: {@code 2026-03-01T09:00:00Z}, with or without fractions of a second, in UTC
 * or at an offset such as {@code -05:00}, every field in its range. That is what every producer of ours writes, and
 * each event has several: java.time's formatters (which the schema check's {@code date-time} format and
 * {@code Instant.parse} use) allocate a parse context and maps for each, the largest part of checking an event.
 * <p>
 * Anything else (a leap second, a lower-case {@code t} or {@code z}, a wrong length) is {@code null} here: callers
 * then ask the general parser, so that no time is read or judged differently by the shortcut.
 */
public final class Rfc3339 {

    private Rfc3339() {
    }

    /** The instant {@code text} names when it is a plain RFC 3339 date-time; null for anything else. */
    public static Instant instant(String text) {
        int length = text.length();
        if (length < 20 || !digits(text, 0, 4) || text.charAt(4) != '-' || !digits(text, 5, 7)
                || text.charAt(7) != '-' || !digits(text, 8, 10) || text.charAt(10) != 'T' || !digits(text, 11, 13)
                || text.charAt(13) != ':' || !digits(text, 14, 16) || text.charAt(16) != ':'
                || !digits(text, 17, 19)) {
            return null;
        }
        int year = number(text, 0, 4);
        int month = number(text, 5, 7);
        int day = number(text, 8, 10);
        int hour = number(text, 11, 13);
        int minute = number(text, 14, 16);
        int second = number(text, 17, 19);
        if (month < 1 || month > 12 || day < 1 || day > LocalDate.of(year, month, 1).lengthOfMonth() || hour > 23
                || minute > 59 || second > 59) {
            return null;
        }
        int at = 19;
        int nanos = 0;
        if (text.charAt(at) == '.') {
            int start = ++at;
            while (at < length && isDigit(text.charAt(at))) {
                at++;
            }
            int count = at - start;
            if (count == 0 || count > 9) {
                return null;
            }
            nanos = number(text, start, at);
            for (int scale = count; scale < 9; scale++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (at == length - 1 && text.charAt(at) == 'Z') {
            offsetSeconds = 0;
        }
        else if (at == length - 6 && (text.charAt(at) == '+' || text.charAt(at) == '-') && digits(text, at + 1, at + 3)
                && text.charAt(at + 3) == ':' && digits(text, at + 4, at + 6)) {
            int offsetHours = number(text, at + 1, at + 3);
            int offsetMinutes = number(text, at + 4, at + 6);
            // java.time's offsets stop at 18:00 (a parser built on it refuses more): none further is plain
            if (offsetHours > 18 || offsetMinutes > 59 || offsetHours == 18 && offsetMinutes > 0) {
                return null;
            }
            offsetSeconds = (text.charAt(at) == '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
        }
        else {
            return null;
        }
        long epochSecond = LocalDateTime.of(year, month, day, hour, minute, second)
                .toEpochSecond(ZoneOffset.UTC) - offsetSeconds;
        return Instant.ofEpochSecond(epochSecond, nanos);
    }

    private static boolean digits(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int number(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }
}
