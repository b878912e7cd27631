package org.city311.feedback.survey;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notifier of the local run: logs that an invitation was offered, without any personal data and without its
 * link (a link answers as the customer: staff fetch one from {@code POST /api/surveys/{id}/link}). An internal
 * request's invitation is thereby offered to the requesting department; a resident's is left to staff, by phone.
 */
class LogSurveyNotifier implements SurveyNotifier {

    private static final Logger log = LoggerFactory.getLogger(LogSurveyNotifier.class);

    @Override
    public Delivery deliver(Invitation invitation) {
        if (invitation.internal()) {
            log.info("Survey {} for internal request {} offered to the requesting department {} (until {})",
                    invitation.surveyId(), invitation.requestId(), invitation.requestingDepartment(),
                    invitation.expiresAt());
            return Delivery.STAFF_NOTIFIED;
        }
        log.info("Survey {} for request {} to be run by phone by staff (until {})", invitation.surveyId(),
                invitation.requestId(), invitation.expiresAt());
        return Delivery.FOR_PHONE;
    }
}
