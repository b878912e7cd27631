package org.city311.routing.work;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The reasons a transfer may give are the contract's four, checked and named the same everywhere. */
class TransferReasonTests {

    @Test
    void shouldCheckAndNameTheFourReasonsOfTheContract() {
        assertThat(Arrays.stream(TransferReason.values()).map(TransferReason::wireName)).containsExactly(
                "wrong-service-chosen-at-intake", "wrong-department-in-catalog", "needs-another-department-too",
                "other");
        assertThat(String.join("|", Arrays.stream(TransferReason.values()).map(TransferReason::wireName).toList()))
                .isEqualTo(TransferReason.WIRE_NAMES);
        assertThat(String.join(", ", Arrays.stream(TransferReason.values()).map(TransferReason::wireName).toList()))
                .isEqualTo(TransferReason.LISTED);
        for (TransferReason reason : TransferReason.values()) {
            assertThat(TransferReason.fromWire(reason.wireName())).isEqualTo(reason);
        }
    }

    @Test
    void shouldCountATransferThatGivesNoReasonAsOther() {
        assertThat(TransferReason.fromWire(null)).isEqualTo(TransferReason.OTHER);
        assertThat(TransferReason.fromWire(" ")).isEqualTo(TransferReason.OTHER);
        assertThatIllegalArgumentException().isThrownBy(() -> TransferReason.fromWire("bad-luck"));
    }
}
