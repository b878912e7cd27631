package org.city311.routing.work;

import java.time.Instant;
import java.util.Optional;

/**
 * A queue answer's {@code ETag}: {@code "q<changes>-<valid until>-<query>"}, the department's {@link QueueChanges}
 * counter as it was read before the work (the {@code q} marks counters kept beside the work, which started again from
 * zero: a tag of the older counters never matches one of theirs), the instant until which the answer stays true without a write (in
 * milliseconds, base 36), and a hash of what was asked (view, filters, page, and the caller for {@code mine}). Checking
 * one needs the counter only: equal counter, same query, and before its time means unchanged.
 */
final class QueueTag {

    private static final String COUNTER = "q";

    private QueueTag() {
    }

    static String of(long changes, Instant validUntil, String query) {
        return COUNTER + changes + "-" + Long.toString(validUntil.toEpochMilli(), 36) + "-" + hash(query);
    }

    /** The tag of {@code ifNoneMatch} (a list, weak or strong) that is still current; empty if none is. */
    static Optional<String> unchanged(String ifNoneMatch, long changes, String query, Instant now) {
        if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
            return Optional.empty();
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            tag = tag.replace("\"", "");
            String[] parts = tag.split("-");
            if (parts.length != 3 || !parts[0].equals(COUNTER + changes) || !parts[2].equals(hash(query))) {
                continue;
            }
            try {
                if (now.isBefore(Instant.ofEpochMilli(Long.parseLong(parts[1], 36)))) {
                    return Optional.of(tag);
                }
            }
            catch (NumberFormatException | java.time.DateTimeException notOurs) {
                // someone else's tag: not a match
            }
        }
        return Optional.empty();
    }

    private static String hash(String query) {
        return Integer.toHexString(query.hashCode());
    }
}
