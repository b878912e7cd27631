package org.city311.feedback.survey;

import java.time.Instant;

/**
 * The port through which survey invitations reach people. Adapters: {@link LogSurveyNotifier} (local run, and
 * always for internal requests) and {@link MailSurveyNotifier} (SMTP, when {@code city311.surveys.mail.enabled}).
 * An adapter never throws: whatever goes wrong, the invitation stays with staff, to be run by phone.
 */
interface SurveyNotifier {

    Delivery deliver(Invitation invitation);

    /**
     * What an adapter is told: no personal data; an adapter that needs the resident's address looks it up itself.
     *
     * @param segment {@code resident} or {@code internal}; null when request-created was not seen (then: resident)
     * @param requestingDepartment for internal requests, the department whose staff member asked
     * @param url the survey's link, issued for this delivery: a credential, for the message alone, never logged
     */
    record Invitation(String surveyId, String requestId, String department, String serviceCode, String segment,
            String requestingDepartment, String url, Instant expiresAt) {

        /** Without the link, should anything ever log an invitation. */
        @Override
        public String toString() {
            return "Invitation[survey=" + surveyId + ", request=" + requestId + ", department=" + department + "]";
        }

        boolean internal() {
            return "internal".equals(segment);
        }
    }

    /** How it went, which is what staff see in the invitation's {@code status} and {@code channel}. */
    enum Delivery {
        /** E-mailed to the resident, who gave an address and consent. */
        EMAILED(Survey.SENT, Survey.EMAIL),
        /** Offered to the requesting department's staff (internal requests). */
        STAFF_NOTIFIED(Survey.SENT, Survey.INTERNAL),
        /** No reachable resident (no address, no consent, mail off or failing): staff run it by phone. */
        FOR_PHONE(Survey.PENDING_DELIVERY, Survey.PHONE),
        /**
         * Not decided yet: the resident's contact cannot be known now (request-service does not show the request
         * resolved yet, or does not answer). Tried again for a while, then left to staff.
         */
        RETRY(Survey.PENDING_DELIVERY, Survey.PHONE);

        final String status;
        final String channel;

        Delivery(String status, String channel) {
            this.status = status;
            this.channel = channel;
        }
    }
}
