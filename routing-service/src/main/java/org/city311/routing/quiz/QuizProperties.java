package org.city311.routing.quiz;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param questions how many questions a check asks (fewer if the catalog has fewer services to ask about)
 * @param requiredEvery how often each staff member must take the check (a year: {@code 365d}); the console reminds
 *        them once it is due. Empty: never required
 * @param window the checks that count for the share of right answers per department and for a person's or team's
 *        recent share
 * @param tallyEvery how often each instance counts the shares per department again from the store (a check handed
 *        in to this instance is counted at once)
 */
@ConfigurationProperties("city311.quiz")
record QuizProperties(@DefaultValue("10") int questions, Duration requiredEvery, @DefaultValue("90d") Duration window,
        @DefaultValue("5m") Duration tallyEvery) {

    QuizProperties {
        if (questions < 1 || questions > 50) {
            throw new IllegalArgumentException("city311.quiz.questions must be from 1 to 50, not " + questions);
        }
        requiredEvery = requiredEvery == null || requiredEvery.isZero() ? null : requiredEvery;
    }
}
