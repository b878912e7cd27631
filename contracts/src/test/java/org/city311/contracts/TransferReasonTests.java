package org.city311.contracts;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The reasons a transfer may give are the transferred event's four, checked and named the same everywhere. */
class TransferReasonTests {

    @Test
    void shouldNameTheReasonsTheTransferredEventsSchemaAllows() throws IOException {
        List<String> allowed = new ArrayList<>();
        try (InputStream in = getClass().getClassLoader()
                .getResourceAsStream("city311/contracts/schemas/" + EventContract.REQUEST_TRANSFERRED + ".json")) {
            JsonNode values = new ObjectMapper().readTree(in).at("/properties/data/properties/reasonCode/enum");
            values.forEach(value -> {
                if (!value.isNull()) {
                    allowed.add(value.asText());
                }
            });
        }
        List<String> named = Arrays.stream(TransferReason.values()).map(TransferReason::wireName).toList();
        assertThat(named).containsExactlyElementsOf(allowed);
        // the constants a body's check and its error message need spell the same four
        assertThat(String.join("|", named)).isEqualTo(TransferReason.WIRE_NAMES);
        assertThat(String.join(", ", named)).isEqualTo(TransferReason.LISTED);
    }

    @Test
    void shouldCountATransferThatGivesNoReasonOrAnUnknownOneAsOther() {
        assertThat(TransferReason.counted("wrong-service-chosen-at-intake"))
                .isEqualTo(TransferReason.WRONG_SERVICE_CHOSEN_AT_INTAKE);
        assertThat(TransferReason.counted(null)).isEqualTo(TransferReason.OTHER);
        assertThat(TransferReason.counted(" ")).isEqualTo(TransferReason.OTHER);
        assertThat(TransferReason.counted("bad-luck")).isEqualTo(TransferReason.OTHER);
        assertThat(TransferReason.of("bad-luck")).isEmpty();
    }
}
