package org.city311.platform.events;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.city311.contracts.EventContract;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CloudEventsTests {

    private final CloudEvents cloudEvents = new CloudEvents(JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build(), "/city311/test", Clock.fixed(Instant.parse("2026-11-23T14:05:12.345678Z"), ZoneOffset.UTC));

    record Data(String requestId, String note) {
    }

    @Test
    void shouldWriteAStructuredCloudEventThatReadsBackTheSame() {
        CloudEvent event = cloudEvents.create("city311.test.happened.v1", "311-00000001", new Data("311-00000001", null));

        String json = cloudEvents.toJson(event);
        CloudEvent read = cloudEvents.parse(json.getBytes(StandardCharsets.UTF_8));

        assertThat(json).contains("\"specversion\":\"1.0\"", "\"source\":\"/city311/test\"",
                "\"subject\":\"311-00000001\"", "\"time\":\"2026-11-23T14:05:12.345Z\"",
                "\"datacontenttype\":\"application/json\"").doesNotContain("note");
        assertThat(read).isEqualTo(event);
        assertThat(cloudEvents.data(read, Data.class)).isEqualTo(new Data("311-00000001", null));
    }

    @Test
    void shouldReadEveryEnvelopeAsTheEventMapperReadsIt() {
        JsonMapper mapper = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        List<String> bodies = new ArrayList<>();
        EventContract.types().forEach(type -> bodies.add(EventContract.example(type)));
        // and envelopes that are not plain, which the mapper reads: a number as the id, a time with an offset,
        // an extension attribute left out, fractions of a second
        bodies.add("{\"specversion\":\"1.0\",\"id\":42,\"source\":\"/x\",\"type\":\"t.v1\",\"data\":{}}");
        bodies.add("{\"specversion\":\"1.0\",\"id\":\"a\",\"type\":\"t.v1\",\"time\":\"2026-03-01T10:00:00+01:00\","
                + "\"data\":{\"x\":1}}");
        bodies.add("{\"specversion\":\"1.0\",\"id\":\"a\",\"type\":\"t.v1\",\"time\":\"2026-03-01T09:00:00.123456Z\","
                + "\"actedby\":null,\"data\":{}}");

        for (String body : bodies) {
            CloudEvent read = cloudEvents.parse(body.getBytes(StandardCharsets.UTF_8));

            assertThat(read).as(body).isEqualTo(mapper.treeToValue(mapper.readTree(body), CloudEvent.class));
        }
    }

    @Test
    void shouldReportAnythingButACloudEventAsMalformed() {
        for (String body : new String[] { "", "[]", "{\"specversion\":\"1.0\"}", "{\"id\":\"x\",\"type\":\"t\"",
                "{\"specversion\":\"0.3\",\"id\":\"x\",\"type\":\"t\",\"data\":{}}" }) {
            assertThatThrownBy(() -> cloudEvents.parse(body.getBytes(StandardCharsets.UTF_8)))
                    .as(body).isInstanceOf(MalformedEventException.class);
        }
    }

    @Test
    void shouldSkipUnknownTypesAndRefuseUnknownVersionsOfKnownOnes() {
        StringBuilder seen = new StringBuilder();
        EventHandlers handlers = new EventHandlers(cloudEvents)
                .on("city311.test.happened.v1", Data.class, (data, envelope) -> seen.append(data.requestId()));
        String v1 = cloudEvents.toJson(cloudEvents.create("city311.test.happened.v1", "311-1", new Data("311-1", "")));

        handlers.accept(org.springframework.messaging.support.MessageBuilder.withPayload(
                v1.getBytes(StandardCharsets.UTF_8)).build());
        handlers.accept(org.springframework.messaging.support.MessageBuilder.withPayload(
                v1.replace("happened.v1", "other.v1").getBytes(StandardCharsets.UTF_8)).build());

        assertThat(seen).hasToString("311-1");
        assertThatThrownBy(() -> handlers.accept(org.springframework.messaging.support.MessageBuilder.withPayload(
                v1.replace("happened.v1", "happened.v2").getBytes(StandardCharsets.UTF_8)).build()))
                .isInstanceOf(MalformedEventException.class).hasMessageContaining("unsupported version");
    }

    @Test
    void shouldRefuseAKnownEventWhoseDataBreaksItsContractBeforeAnyHandlerSeesIt() {
        StringBuilder seen = new StringBuilder();
        EventHandlers handlers = new EventHandlers(cloudEvents)
                .on("city311.request.created.v1", Data.class, (data, envelope) -> seen.append(data.requestId()));
        String valid = org.city311.contracts.EventContract.example("city311.request.created.v1");
        String noData = valid.replaceAll("(?s)\"data\"\\s*:\\s*\\{.*\\}\\s*}\\s*$", "\"data\": {}}");
        String otherRequest = valid.replace("\"subject\": \"311-00000042\"", "\"subject\": \"311-00000043\"");

        handlers.accept(org.springframework.messaging.support.MessageBuilder.withPayload(
                valid.getBytes(StandardCharsets.UTF_8)).build());
        for (String broken : new String[] { noData, otherRequest }) {
            assertThat(broken).isNotEqualTo(valid);
            assertThatThrownBy(() -> handlers.accept(org.springframework.messaging.support.MessageBuilder
                    .withPayload(broken.getBytes(StandardCharsets.UTF_8)).build()))
                    .isInstanceOf(MalformedEventException.class).hasMessageContaining("breaks its contract");
        }

        // only the valid one reached the handler: a half-empty event never becomes half a change
        assertThat(seen).hasToString("311-00000042");
    }
}
