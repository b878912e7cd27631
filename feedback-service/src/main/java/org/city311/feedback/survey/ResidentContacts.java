package org.city311.feedback.survey;

import java.util.List;

/**
 * Where the e-mail addresses of the people who reported a request come from, at the moment a survey is e-mailed:
 * used for those e-mails, never stored or logged by feedback-service.
 */
interface ResidentContacts {

    /**
     * The addresses to send a survey to, each once: the resident's, then those of the callers added to the request
     * ("this is the same"); each only when its owner gave it and consented to be contacted. Empty when none did.
     *
     * @throws NotYetKnown when it may be known later: the holder does not show the request resolved yet (the
     *         resolution is still on its way there), or is down, slow or refusing
     * @throws RuntimeException when it never will be (the holder does not know the request)
     */
    List<String> emailsOf(String requestId);

    /** Ask again later. */
    final class NotYetKnown extends RuntimeException {

        NotYetKnown(String reason, Throwable cause) {
            super(reason, cause);
        }
    }
}
