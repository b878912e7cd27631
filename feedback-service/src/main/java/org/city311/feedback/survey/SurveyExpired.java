package org.city311.feedback.survey;

import java.time.Instant;

import org.city311.contracts.EventContract;

/**
 * A survey window ended with the request still resolved and no answer: routing-service closes the request, unless
 * something happened to it since {@code resolutionSequence}. Published as {@value #TYPE}.
 *
 * @param surveyId the invitation of that resolution; absent when none went out (sampled out, or not surveyed again
 *        after a reopen)
 */
record SurveyExpired(String surveyId, String requestId, String department, String serviceCode,
        long resolutionSequence, Instant expiredAt) {

    static final String TYPE = EventContract.SURVEY_EXPIRED;
}
