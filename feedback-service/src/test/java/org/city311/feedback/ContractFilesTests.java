package org.city311.feedback;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The contract files feedback-service adds keep their own schemas: each example is valid. */
class ContractFilesTests {

    @ParameterizedTest
    @ValueSource(strings = { "city311.feedback.received.v1", "city311.survey.expired.v1", "city311.followup.opened.v1",
            "city311.followup.closed.v1", "city311.followup.overdue.v1" })
    void shouldHaveAValidExampleForEveryEventFeedbackServicePublishes(String type) {
        ContractFiles.assertValid(ContractFiles.example(type));
    }
}
