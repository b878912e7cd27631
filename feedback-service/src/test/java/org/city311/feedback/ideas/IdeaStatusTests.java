package org.city311.feedback.ideas;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a review may take an idea, every pair of statuses tried. */
class IdeaStatusTests {

    static final Map<IdeaStatus, Set<IdeaStatus>> ALLOWED = Map.of(
            IdeaStatus.SUBMITTED, EnumSet.of(IdeaStatus.UNDER_REVIEW, IdeaStatus.ACCEPTED, IdeaStatus.DECLINED),
            IdeaStatus.UNDER_REVIEW, EnumSet.of(IdeaStatus.ACCEPTED, IdeaStatus.DECLINED),
            IdeaStatus.ACCEPTED, EnumSet.of(IdeaStatus.DONE, IdeaStatus.DECLINED),
            IdeaStatus.DONE, EnumSet.noneOf(IdeaStatus.class),
            IdeaStatus.DECLINED, EnumSet.noneOf(IdeaStatus.class));

    @Test
    void shouldMoveAnIdeaOnlyForwardAndDeclineItOnlyWithAReason() {
        for (IdeaStatus from : IdeaStatus.values()) {
            for (IdeaStatus to : IdeaStatus.values()) {
                boolean allowed = ALLOWED.get(from).contains(to);
                assertThat(from.refusal(to, "because").isEmpty()).as("%s -> %s", from, to).isEqualTo(allowed);
            }
        }
        assertThat(IdeaStatus.SUBMITTED.refusal(IdeaStatus.DECLINED, " ")).get().asString().contains("why");
        assertThat(IdeaStatus.SUBMITTED.refusal(IdeaStatus.DECLINED, null)).isPresent();
        assertThat(IdeaStatus.SUBMITTED.refusal(IdeaStatus.ACCEPTED, null)).isEmpty();
        // the refusal says where it may go instead
        assertThat(IdeaStatus.UNDER_REVIEW.refusal(IdeaStatus.DONE, null)).get().asString()
                .contains("accepted", "declined", "not done");
        assertThat(IdeaStatus.DONE.refusal(IdeaStatus.DECLINED, "late")).get().asString().contains("is over");
    }

    @Test
    void shouldCountOnlyAcceptedAndDoneAsActedOnAndReadEveryWireName() {
        assertThat(EnumSet.allOf(IdeaStatus.class)).filteredOn(IdeaStatus::actedOn)
                .containsExactlyInAnyOrder(IdeaStatus.ACCEPTED, IdeaStatus.DONE);
        for (IdeaStatus status : IdeaStatus.values()) {
            assertThat(IdeaStatus.of(status.wire())).contains(status);
        }
        assertThat(IdeaStatus.of("under_review")).isEmpty();
        assertThat(IdeaStatus.UNDER_REVIEW.wire()).isEqualTo("under-review");
    }
}
