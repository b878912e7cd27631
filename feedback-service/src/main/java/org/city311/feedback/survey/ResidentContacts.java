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
     * @throws RuntimeException when it cannot be known now (the holder is down, slow or refusing)
     */
    Optional<String> emailOf(String requestId);
}
