package org.city311.routing.work;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import org.city311.platform.web.Problems;

/**
 * Where a page of a queue ends, as the opaque {@code after} parameter of the next page's link: the last item's
 * place in the queue's order (resolution due time, routing time, request id). Work without a due time comes after
 * all work with one, so a cursor also says which of the two parts it is in ({@code resolutionDueAt} null).
 *
 * @param resolutionDueAt the last item's resolution due time; null in the part without due times
 */
record QueueCursor(Instant resolutionDueAt, Instant routedAt, String requestId) {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    static QueueCursor after(WorkItem item) {
        return new QueueCursor(item.resolutionDueAt(), item.routedAt(), item.id());
    }

    boolean inUndatedPart() {
        return resolutionDueAt == null;
    }

    /** {@code 1.<due ms or ->.<routed ms>.<request id>}, base64url: opaque to clients, versioned for us. */
    String encode() {
        String plain = "1." + (resolutionDueAt == null ? "-" : Long.toString(resolutionDueAt.toEpochMilli())) + "."
                + routedAt.toEpochMilli() + "." + requestId;
        return ENCODER.encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor a client sent back; a 400 problem naming {@code after} if it is not one of ours. */
    static QueueCursor decode(String after) {
        try {
            String[] parts = new String(DECODER.decode(after), StandardCharsets.UTF_8).split("\\.", 4);
            if (parts.length != 4 || !parts[0].equals("1") || parts[3].isEmpty()) {
                throw new IllegalArgumentException("not a queue cursor");
            }
            return new QueueCursor(parts[1].equals("-") ? null : Instant.ofEpochMilli(Long.parseLong(parts[1])),
                    Instant.ofEpochMilli(Long.parseLong(parts[2])), parts[3]);
        }
        catch (IllegalArgumentException malformed) {
            throw Problems.badRequest(java.util.List.of(new Problems.FieldProblem("after",
                    "not a cursor of this queue: pass on the 'next' link of the page before as it is")));
        }
    }
}
