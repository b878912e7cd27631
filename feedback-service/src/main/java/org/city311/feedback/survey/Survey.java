package org.city311.feedback.survey;

import java.time.Instant;
import java.util.Set;

import org.city311.feedback.requests.KnownRequest;
import org.city311.platform.security.Caller;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A survey invitation: one per request (its id is the request id), or one per resolution for departments that
 * survey again after a reopen (then {@code <requestId>-<resolutionSequence>}).
 *
 * @param tokenHash the SHA-256 of the survey link's secret ({@link SurveyTokens}); the link itself is never stored.
 *        A fresh secret is issued when the invitation is delivered and whenever staff fetch the link, each
 *        replacing (revoking) the one before
 * @param status {@code pending_delivery} (not delivered: staff run it by phone), {@code sent}, {@code answered}
 *        or {@code expired}
 * @param channel how it reaches the customer: {@code email} (sent to the resident), {@code internal} (offered to
 *        the requesting department's staff) or {@code phone} (staff run it by phone)
 * @param resolutionSequence the resolution it asks about; an unanswered invitation follows the request's newest one
 * @param expiresAt the end of the survey window; no answers after it
 * @param deliveryAttempts how many times it was handed to the notifier
 * @param retryAt when delivery is tried next (request-service had not yet shown the request resolved, or did not
 *        answer); null when it is due now or was decided
 * @param answeredBy the staff member who entered the answers: with the customer on the phone, or as the customer
 *        (an internal request's requester, answering with their own token), if so
 * @param requester who asked for the request, as known when the invitation was made or delivered: what an agent's
 *        list of their own surveys is found by. Absent on invitations made before it was kept (filled in at start,
 *        see {@link SurveyIndexes})
 */
@Document(Survey.COLLECTION)
record Survey(
        @Id String id,
        String requestId,
        String tokenHash,
        String status,
        String channel,
        String department,
        String serviceCode,
        long resolutionSequence,
        Instant createdAt,
        Instant expiresAt,
        int deliveryAttempts,
        Instant retryAt,
        Instant deliveredAt,
        Instant answeredAt,
        String answeredBy,
        String feedbackId,
        Requester requester) {

    static final String COLLECTION = "surveys";

    static final String PENDING_DELIVERY = "pending_delivery";
    static final String SENT = "sent";
    static final String ANSWERED = "answered";
    static final String EXPIRED = "expired";
    /** Statuses in which it can still be answered (before its expiry). */
    static final Set<String> OPEN = Set.of(PENDING_DELIVERY, SENT);

    static final String EMAIL = "email";
    static final String INTERNAL = "internal";
    static final String PHONE = "phone";

    /**
     * @param segment {@code resident} or {@code internal}; null while request-created is not known
     * @param department for an internal request, the department that asked
     * @param filedBy for an internal request, who filed it (a staff member's id), if known
     */
    record Requester(String segment, String department, String filedBy) {

        static final Requester UNKNOWN = new Requester(null, null, null);

        static Requester of(KnownRequest request) {
            return request == null ? UNKNOWN
                    : new Requester(request.segment(), request.internal() ? request.requestingDepartment() : null,
                            request.internal() ? request.filedBy() : null);
        }
    }

    /** Whether the caller is the customer of this invitation's internal request (see {@code KnownRequest#askedBy}). */
    boolean askedBy(Caller caller) {
        return requester != null && INTERNAL.equals(requester.segment()) && caller != null
                && (caller.id().equals(requester.filedBy()) || caller.worksFor(requester.department()));
    }

    /** The same invitation asking about a newer resolution, with its window (see {@code SurveyInvitations}). */
    Survey askingAbout(long newerResolution, String newDepartment, Instant newExpiry) {
        return new Survey(id, requestId, tokenHash, status, channel, newDepartment, serviceCode, newerResolution,
                createdAt, newExpiry, deliveryAttempts, retryAt, deliveredAt, answeredAt, answeredBy, feedbackId,
                requester);
    }

    boolean open() {
        return OPEN.contains(status);
    }

    /** The status a reader sees: an open survey past its expiry is expired, even before the sweep marks it. */
    String statusAt(Instant now) {
        return open() && !now.isBefore(expiresAt) ? EXPIRED : status;
    }

    /** Whether answers to it can be taken now. */
    enum Answerability {
        /** Open, before its expiry. */
        ANSWERABLE,
        /** Answered once: a second answer is refused, whenever it comes. */
        ALREADY_ANSWERED,
        /** Its window ended unanswered (at its expiry, marked by the sweep or not). */
        CLOSED
    }

    Answerability answerability(Instant now) {
        if (ANSWERED.equals(status)) {
            return Answerability.ALREADY_ANSWERED;
        }
        return EXPIRED.equals(statusAt(now)) ? Answerability.CLOSED : Answerability.ANSWERABLE;
    }
}
