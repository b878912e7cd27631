package org.city311.feedback.survey;

import java.time.Instant;
import java.util.List;

import org.city311.platform.outbox.PendingEvent;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * The survey window of a request's newest resolution (one per request, its id the request id): the time the
 * customer has to answer or to ask for a reopen. It is there whether or not an invitation went out (sampled out,
 * or not surveyed again after a reopen), so that every resolved request is closed in the end. The collection holds
 * the windows still to end, and ended ones until the request's next event (reopened, closed) removes them (or,
 * failing that, the sweep a window's length later): it does not grow with history, so the sweeps and the outbox
 * relay's polls that read it stay cheap.
 *
 * @param status {@code open}; {@code answered} (the survey was answered); {@code moved_on} (something happened to
 *        the request since: reopened, closed, ...); {@code expired} (it ended unanswered: survey-expired published)
 * @param surveyId the invitation that asks about this resolution, if any
 */
@Document(SurveyWindow.COLLECTION)
record SurveyWindow(
        @Id String id,
        String department,
        String serviceCode,
        long resolutionSequence,
        Instant openedAt,
        Instant endsAt,
        String status,
        String surveyId,
        Instant endedAt,
        List<PendingEvent> outbox) {

    static final String COLLECTION = "survey_windows";

    static final String OPEN = "open";
    static final String ANSWERED = "answered";
    static final String MOVED_ON = "moved_on";
    static final String EXPIRED = "expired";
}
