package org.city311.metrics.servicelevel;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.city311.contracts.EventContract;
import org.city311.platform.events.CloudEvent;
import org.city311.platform.events.CloudEvents;
import org.city311.platform.test.TestClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** The fold reads an event's data straight from its JSON: exactly what the event mapper would read. */
class LedgerEntriesTests {

    private final CloudEvents cloudEvents = new CloudEvents(JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build(), "test", new TestClock());

    static Iterable<String> types() {
        return EventContract.types();
    }

    @ParameterizedTest
    @MethodSource("types")
    void shouldReadTheDataOfEveryContractsExampleAsTheMapperDoes(String type) {
        CloudEvent event = cloudEvents.parse(EventContract.example(type).getBytes(StandardCharsets.UTF_8));

        LedgerEntries.EventData plain = LedgerEntries.EventData.plain(event.data());

        assertThat(plain).as("read straight from the JSON").isNotNull()
                .isEqualTo(cloudEvents.data(event, LedgerEntries.EventData.class));
    }

    @ParameterizedTest
    @ValueSource(strings = { "\"sequence\":3.0", "\"satisfaction\":\"4\"", "\"submittedAt\":\"2026-03-01\"",
            "\"resolved\":\"true\"", "\"requestId\":311" })
    void shouldLeaveAFieldThatIsNotPlainToTheMapper(String field) {
        CloudEvent event = cloudEvents.parse(("{\"specversion\":\"1.0\",\"id\":\"a\","
                + "\"type\":\"city311.feedback.received.v1\",\"data\":{\"requestId\":\"311-1\"," + field + "}}")
                .getBytes(StandardCharsets.UTF_8));

        assertThat(LedgerEntries.EventData.plain(event.data())).isNull();
    }

    @Test
    void shouldReadATimeWithAnOffsetAsTheSameInstantAsTheMapper() {
        CloudEvent event = cloudEvents.parse(("{\"specversion\":\"1.0\",\"id\":\"a\","
                + "\"type\":\"city311.request.routed.v1\",\"data\":{\"requestId\":\"311-1\","
                + "\"submittedAt\":\"2026-03-01T10:00:00+01:00\"}}")
                .getBytes(StandardCharsets.UTF_8));

        assertThat(LedgerEntries.EventData.plain(event.data()))
                .isEqualTo(cloudEvents.data(event, LedgerEntries.EventData.class))
                .extracting(LedgerEntries.EventData::submittedAt)
                .isEqualTo(Instant.parse("2026-03-01T09:00:00Z"));
    }
}
