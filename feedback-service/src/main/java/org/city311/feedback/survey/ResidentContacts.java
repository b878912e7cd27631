package org.city311.feedback.survey;

import java.util.Optional;

/**
 * Where a resident's e-mail address comes from, at the moment a survey is e-mailed: used for that one e-mail, never
 * stored or logged by feedback-service.
 */
interface ResidentContacts {

    /**
     * The address to send a survey to: present only when the resident gave one and consented to be contacted.
     *
     * @throws NotYetKnown when it may be known later: the holder does not show the request resolved yet (the
     *         resolution is still on its way there), or is down, slow or refusing
     * @throws RuntimeException when it never will be (the holder does not know the request)
     */
    Optional<String> emailOf(String requestId);

    /** Ask again later. */
    final class NotYetKnown extends RuntimeException {

        NotYetKnown(String reason, Throwable cause) {
            super(reason, cause);
        }
    }
}
