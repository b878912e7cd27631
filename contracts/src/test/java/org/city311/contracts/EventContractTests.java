package org.city311.contracts;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.city311.contracts.EventContract.CATALOG_PUBLISHED;
import static org.city311.contracts.EventContract.FEEDBACK_RECEIVED;
import static org.city311.contracts.EventContract.REQUEST_ACCEPTED;
import static org.city311.contracts.EventContract.REQUEST_CLIENT_UPDATED;
import static org.city311.contracts.EventContract.REQUEST_CREATED;
import static org.city311.contracts.EventContract.REQUEST_LINKED;
import static org.city311.contracts.EventContract.REQUEST_PUT_ON_HOLD;
import static org.city311.contracts.EventContract.FOLLOWUP_CLOSED;
import static org.city311.contracts.EventContract.FOLLOWUP_OPENED;
import static org.city311.contracts.EventContract.FOLLOWUP_OVERDUE;
import static org.city311.contracts.EventContract.REQUEST_CLOSED;
import static org.city311.contracts.EventContract.SURVEY_EXPIRED;
import static org.city311.contracts.EventContract.REQUEST_REOPENED;
import static org.city311.contracts.EventContract.REQUEST_RESOLVED;
import static org.city311.contracts.EventContract.REQUEST_RESUMED;
import static org.city311.contracts.EventContract.REQUEST_ROUTED;
import static org.city311.contracts.EventContract.REQUEST_TRANSFERRED;
import static org.city311.contracts.EventContract.REQUEST_UPDATED;

class EventContractTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Set<String> types() {
        return EventContract.types();
    }

    /** The types of events about one request: their example carries data.requestId. */
    static Stream<String> requestTypes() {
        return EventContract.types().stream().filter(type -> readExample(type).at("/data/requestId").isTextual());
    }

    /** The department's actions on a request, published on city311.routing: each requires data.status. */
    static Stream<String> actionTypes() {
        return Stream.of(REQUEST_ACCEPTED, REQUEST_UPDATED, REQUEST_PUT_ON_HOLD, REQUEST_RESUMED, REQUEST_TRANSFERRED,
                REQUEST_REOPENED);
    }

    /** The types whose data has a status, required or not. */
    static Stream<String> typesWithStatus() {
        return Stream.concat(actionTypes(), Stream.of(REQUEST_ROUTED, REQUEST_RESOLVED));
    }

    /** Every required field of every type's data, as read from the schema files. */
    static Stream<Arguments> requiredDataFields() throws IOException {
        List<Arguments> fields = new ArrayList<>();
        for (String type : EventContract.types()) {
            JsonNode schema = readResource("schemas/" + type + ".json");
            schema.path("properties").path("data").path("required").forEach(field -> fields.add(Arguments.of(type, field.asText())));
        }
        return fields.stream();
    }

    @ParameterizedTest
    @MethodSource("types")
    void shouldAcceptTheExampleOfEveryType(String type) {
        assertThat(EventContract.violations(EventContract.example(type))).isEmpty();
        assertThatCode(() -> EventContract.assertValid(EventContract.example(type))).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0} without data.{1}")
    @MethodSource("requiredDataFields")
    void shouldRejectEventWithoutRequiredDataField(String type, String field) {
        String event = changed(type, e -> ((ObjectNode) e.get("data")).remove(field));

        assertThat(EventContract.violations(event)).anySatisfy(v -> assertThat(v).contains(field));
    }

    @ParameterizedTest
    @MethodSource("types")
    void shouldRejectEventOfAnotherType(String type) {
        // given an event that claims another (known) type
        String otherType = EventContract.types().stream().filter(t -> !t.equals(type)).findFirst().orElseThrow();
        String event = changed(type, e -> e.put("type", otherType));

        // when checked against the contract of the expected type, then its type is wrong
        assertThat(EventContract.violationsAgainst(type, event)).anySatisfy(v -> assertThat(v).contains("$.type"));
    }

    @Test
    void shouldJudgePlainTimesWithoutJavaTimesFormattersAndStillRefuseImpossibleOnes() {
        long before = PlainDateTimeFormat.PLAIN.sum();

        // An empty id is not plainly kept, so the general validator judges the event, and its times.
        assertThat(EventContract.violations(changed(EventContract.REQUEST_ROUTED, e -> e.put("id", ""))))
                .singleElement().satisfies(v -> assertThat(v).contains("$.id"));
        assertThat(PlainDateTimeFormat.PLAIN.sum()).as("times judged plain").isGreaterThan(before);
        assertThat(EventContract.violations(changed(EventContract.REQUEST_ROUTED,
                e -> e.put("time", "2026-02-30T09:00:00Z")))).anySatisfy(v -> assertThat(v).contains("$.time"));
    }

    @Test
    void shouldRefuseAnEventTheSchemaCheckCannotJudgeRatherThanFailItsConsumer() {
        // The validator throws on 1e300 where an integer has a minimum; the consumer must dead-letter such an event.
        String event = changed(REQUEST_ACCEPTED, e -> ((ObjectNode) e.get("data")).put("sequence", 1e300));

        assertThat(EventContract.violations(event)).singleElement()
                .satisfies(v -> assertThat(v).contains("could not judge"));
    }

    @ParameterizedTest
    @MethodSource("types")
    void shouldRejectEventWithTimeThatIsNotRfc3339(String type) {
        String event = changed(type, e -> e.put("time", "23/11/2026 14:05"));

        assertThat(EventContract.violations(event)).anySatisfy(v -> assertThat(v).contains("$.time"));
    }

    @ParameterizedTest
    @MethodSource("types")
    void shouldRejectEventWithoutEnvelopeAttributes(String type) {
        String event = changed(type, e -> e.remove(List.of("specversion", "id", "source", "subject", "time", "datacontenttype")));

        assertThat(EventContract.violations(event)).hasSize(6);
    }

    @ParameterizedTest
    @MethodSource("types")
    void shouldFindTheSameViolationsInAnEventReadAlreadyAsInItsText(String type) {
        // a consumer checks the JSON it has read rather than the record's bytes again: same verdict, same words
        tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder().build();
        String broken = changed(type, e -> {
            e.remove(List.of("subject", "time"));
            ((ObjectNode) e.get("data")).put("requestId", 42);
        });

        assertThat(EventContract.violations(json.readTree(broken))).isNotEmpty()
                .isEqualTo(EventContract.violations(broken));
        assertThat(EventContract.violations(json.readTree(EventContract.example(type)))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("types")
    void shouldAcceptUnknownFieldsInEnvelopeAndData(String type) {
        // given a producer that added an extension attribute and a new optional data field
        String event = changed(type, e -> {
            e.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
            ((ObjectNode) e.get("data")).put("addedInALaterRelease", "ignored by older consumers");
        });

        assertThat(EventContract.violations(event)).isEmpty();
    }

    @Test
    void shouldHaveRequestTypesAndTheCatalogType() {
        assertThat(requestTypes()).containsExactlyInAnyOrder(REQUEST_CREATED, REQUEST_LINKED, REQUEST_CLIENT_UPDATED, REQUEST_ROUTED, REQUEST_ACCEPTED,
                REQUEST_UPDATED, REQUEST_PUT_ON_HOLD, REQUEST_RESUMED, REQUEST_TRANSFERRED, REQUEST_RESOLVED,
                REQUEST_REOPENED, REQUEST_CLOSED, FEEDBACK_RECEIVED, SURVEY_EXPIRED, FOLLOWUP_OPENED, FOLLOWUP_CLOSED,
                FOLLOWUP_OVERDUE);
    }

    @ParameterizedTest
    @MethodSource("requestTypes")
    void shouldRejectEventWhoseSubjectIsNotItsRequestId(String type) {
        String event = changed(type, e -> e.put("subject", "311-99999999"));

        assertThat(EventContract.violations(event)).containsExactly(
                "$.subject: must equal $.data.requestId ('311-00000042') but is '311-99999999'");
    }

    @Test
    void shouldRejectRoutedEventWithoutDepartment() {
        String event = changed(REQUEST_ROUTED, e -> ((ObjectNode) e.get("data")).remove("department"));

        assertThat(EventContract.violations(event)).containsExactly("$.data: required property 'department' not found");
        assertThatThrownBy(() -> EventContract.assertValid(event))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("required property 'department' not found");
    }

    @Test
    void shouldNotCompareSubjectWithRequestIdWhenTheEventHasNone() {
        String withoutRequestId = changed(REQUEST_ROUTED, e -> ((ObjectNode) e.get("data")).remove("requestId"));
        String withNullRequestId = changed(REQUEST_ROUTED, e -> ((ObjectNode) e.get("data")).putNull("requestId"));

        assertThat(EventContract.violations(withoutRequestId)).containsExactly("$.data: required property 'requestId' not found");
        assertThat(EventContract.violations(withNullRequestId)).singleElement().asString().startsWith("$.data.requestId");
    }

    @Test
    void shouldRejectRoutedEventWithDepartmentThatIsNotACode() {
        String event = changed(REQUEST_ROUTED, e -> ((ObjectNode) e.get("data")).put("department", "Parks & Recreation"));

        assertThat(EventContract.violations(event)).singleElement().asString().startsWith("$.data.department");
    }

    @Test
    void shouldRejectRoutedEventWithSequenceBelowOne() {
        String event = changed(REQUEST_ROUTED, e -> ((ObjectNode) e.get("data")).put("sequence", 0));

        assertThat(EventContract.violations(event)).singleElement().asString().startsWith("$.data.sequence");
    }

    @Test
    void shouldRejectCreatedEventFromAnUnknownChannel() {
        String event = changed(REQUEST_CREATED, e -> ((ObjectNode) e.get("data")).put("channel", "fax"));

        assertThat(EventContract.violations(event)).singleElement().asString().startsWith("$.data.channel");
    }

    @Test
    void shouldRejectCreatedEventWithLatitudeOutOfRange() {
        String event = changed(REQUEST_CREATED, e -> ((ObjectNode) e.at("/data/location")).put("latitude", 140.7128));

        assertThat(EventContract.violations(event)).singleElement().asString().startsWith("$.data.location.latitude");
    }

    @Test
    void shouldAcceptCreatedEventWithoutOptionalFields() {
        String event = changed(REQUEST_CREATED, e -> {
            ObjectNode data = (ObjectNode) e.get("data");
            data.remove(List.of("description", "attributes"));
            data.putNull("location");
        });

        assertThat(EventContract.violations(event)).isEmpty();
    }

    @Test
    void shouldRejectClientUpdateWithoutTheClientAsActorOrWithAStatusNotAsFixMyStreetSendsIt() {
        String noActor = changed(REQUEST_CLIENT_UPDATED, e -> e.remove("actedby"));
        String staffActor = changed(REQUEST_CLIENT_UPDATED, e -> e.put("actedby", "m.rivera"));
        String lowerCase = changed(REQUEST_CLIENT_UPDATED, e -> ((ObjectNode) e.get("data")).put("status", "fixed"));
        String trustedAsText = changed(REQUEST_CLIENT_UPDATED, e -> ((ObjectNode) e.get("data")).put("trusted", "yes"));

        assertThat(EventContract.violations(noActor)).containsExactly("$: required property 'actedby' not found");
        assertThat(EventContract.violations(staffActor)).singleElement().asString().startsWith("$.actedby");
        assertThat(EventContract.violations(lowerCase)).singleElement().asString().startsWith("$.data.status");
        assertThat(EventContract.violations(trustedAsText)).singleElement().asString().startsWith("$.data.trusted");
    }

    @Test
    void shouldAcceptClientUpdateWithAStatusFixMyStreetMayAddLater() {
        String event = changed(REQUEST_CLIENT_UPDATED, e -> ((ObjectNode) e.get("data")).put("status", "WAITING_ON_THIRD_PARTY"));

        assertThat(EventContract.violations(event)).isEmpty();
    }

    @Test
    void shouldRejectCreatedEventWithAttributeThatIsNotTextOrListOfText() {
        String event = changed(REQUEST_CREATED, e -> ((ObjectNode) e.at("/data/attributes")).put("pole-height", 9));

        assertThat(EventContract.violations(event)).isNotEmpty().allSatisfy(v -> assertThat(v).startsWith("$.data.attributes['pole-height']"));
    }

    @ParameterizedTest
    @MethodSource("actionTypes")
    void shouldRejectActionEventWithoutStatus(String type) {
        String event = changed(type, e -> ((ObjectNode) e.get("data")).remove("status"));

        assertThat(EventContract.violations(event)).containsExactly("$.data: required property 'status' not found");
    }

    @ParameterizedTest
    @MethodSource("typesWithStatus")
    void shouldRejectEventWithAnUnknownStatus(String type) {
        String unknown = changed(type, e -> ((ObjectNode) e.get("data")).put("status", "done"));
        String upperCase = changed(type, e -> ((ObjectNode) e.get("data")).put("status", "IN_PROGRESS"));
        String notText = changed(type, e -> ((ObjectNode) e.get("data")).put("status", 3));

        assertThat(EventContract.violations(unknown)).singleElement().asString().startsWith("$.data.status");
        assertThat(EventContract.violations(upperCase)).singleElement().asString().startsWith("$.data.status");
        assertThat(EventContract.violations(notText)).singleElement().asString().startsWith("$.data.status");
    }

    @ParameterizedTest
    @MethodSource("typesWithStatus")
    void shouldAcceptEveryStatus(String type) {
        for (String status : List.of("submitted", "routed", "in_progress", "on_hold", "resolved", "reopened", "closed")) {
            String event = changed(type, e -> ((ObjectNode) e.get("data")).put("status", status));

            assertThat(EventContract.violations(event)).as(status).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("actionTypes")
    void shouldRejectActionEventWithSequenceBelowOne(String type) {
        String event = changed(type, e -> ((ObjectNode) e.get("data")).put("sequence", 0));

        assertThat(EventContract.violations(event)).singleElement().asString().startsWith("$.data.sequence");
    }

    @ParameterizedTest
    @MethodSource("actionTypes")
    void shouldRejectActionEventWithADepartmentCodeThatIsNotACode(String type) {
        String upperCase = changed(type, e -> ((ObjectNode) e.get("data")).put("department", "Transportation"));
        String leadingHyphen = changed(type, e -> ((ObjectNode) e.get("data")).put("department", "-transportation"));

        assertThat(EventContract.violations(upperCase)).anySatisfy(v -> assertThat(v).startsWith("$.data.department"));
        assertThat(EventContract.violations(leadingHyphen)).anySatisfy(v -> assertThat(v).startsWith("$.data.department"));
    }

    @ParameterizedTest
    @MethodSource("actionTypes")
    void shouldHaveActionExamplesAboutThePotholeRequest(String type) {
        JsonNode event = readExample(type);

        assertThat(event.get("source").asText()).isEqualTo("/city311/routing-service");
        assertThat(event.at("/data/requestId").asText()).isEqualTo("311-00000042");
        assertThat(event.at("/data/serviceCode").asText()).isEqualTo("pothole");
        assertThat(event.at("/data/department").asText()).isIn("transportation", "environmental-protection");
    }

    @Test
    void shouldTellOneStoryInTheRoutingExamples() {
        // routed 1, accepted 2, updated 3, put on hold 4, resumed 5, transferred 6, (accepted there 7, resolved 8,) reopened 9
        List<JsonNode> story = Stream.of(REQUEST_ROUTED, REQUEST_ACCEPTED, REQUEST_UPDATED, REQUEST_PUT_ON_HOLD,
                REQUEST_RESUMED, REQUEST_TRANSFERRED, REQUEST_REOPENED).map(EventContractTests::readExample).toList();

        assertThat(story).extracting(e -> e.at("/data/sequence").asInt()).containsExactly(1, 2, 3, 4, 5, 6, 9);
        assertThat(story).extracting(e -> e.at("/data/status").asText(null))
                .containsExactly(null, "in_progress", "in_progress", "on_hold", "in_progress", "routed", "reopened");
        assertThat(story).extracting(e -> Instant.parse(e.get("time").asText())).isSorted();
        assertThat(story).extracting(e -> e.at("/data/department").asText()).containsExactly("transportation",
                "transportation", "transportation", "transportation", "transportation", "environmental-protection",
                "environmental-protection");
        // the time on hold is the time between holding and resuming
        Instant heldAt = Instant.parse(story.get(3).at("/data/heldAt").asText());
        Instant resumedAt = Instant.parse(story.get(4).at("/data/resumedAt").asText());
        assertThat(story.get(4).at("/data/heldSeconds").asLong()).isEqualTo(Duration.between(heldAt, resumedAt).toSeconds());
    }

    @ParameterizedTest
    @MethodSource("typesWithStatus")
    void shouldAcceptRoutedAndResolvedEventsWithoutStatusButNotActionEvents(String type) {
        // status was added to routed and resolved within v1, so it is optional there: absent or null
        String absent = changed(type, e -> ((ObjectNode) e.get("data")).remove("status"));
        String nullStatus = changed(type, e -> ((ObjectNode) e.get("data")).putNull("status"));

        if (type.equals(REQUEST_ROUTED) || type.equals(REQUEST_RESOLVED)) {
            assertThat(EventContract.violations(absent)).isEmpty();
            assertThat(EventContract.violations(nullStatus)).isEmpty();
        }
        else {
            assertThat(EventContract.violations(absent)).isNotEmpty();
            assertThat(EventContract.violations(nullStatus)).singleElement().asString().startsWith("$.data.status");
        }
    }

    @Test
    void shouldAcceptRoutedAndResolvedEventsWithStatus() {
        String routed = changed(REQUEST_ROUTED, e -> ((ObjectNode) e.get("data")).put("status", "routed"));
        String resolved = changed(REQUEST_RESOLVED, e -> ((ObjectNode) e.get("data")).put("status", "resolved"));

        assertThat(EventContract.violations(routed)).isEmpty();
        assertThat(EventContract.violations(resolved)).isEmpty();
    }

    @Test
    void shouldNotRequireStatusOnRoutedAndResolvedEvents() throws IOException {
        // an additive change: making status required would break producers that do not send it yet
        for (String type : List.of(REQUEST_ROUTED, REQUEST_RESOLVED)) {
            JsonNode schema = readResource("schemas/" + type + ".json");
            assertThat(schema.at("/properties/data/properties/status").isObject()).as(type).isTrue();
            assertThat(schema.at("/properties/data/required")).extracting(JsonNode::asText).as(type).doesNotContain("status");
        }
    }

    @Test
    void shouldAcceptUpdatedEventWithAnInternalNote() {
        String event = changed(REQUEST_UPDATED, e -> ((ObjectNode) e.get("data")).put("visibility", "internal")
                .put("note", "Resident called three times; gas company ticket 26-114-0398."));

        assertThat(EventContract.violations(event)).isEmpty();
    }

    @Test
    void shouldRejectUpdatedEventWithAVisibilityOtherThanPublicOrInternal() {
        for (String visibility : List.of("private", "staff", "PUBLIC", "Internal", "")) {
            String event = changed(REQUEST_UPDATED, e -> ((ObjectNode) e.get("data")).put("visibility", visibility));

            assertThat(EventContract.violations(event)).as(visibility).singleElement().asString().startsWith("$.data.visibility");
        }
        String nullVisibility = changed(REQUEST_UPDATED, e -> ((ObjectNode) e.get("data")).putNull("visibility"));
        assertThat(EventContract.violations(nullVisibility)).singleElement().asString().startsWith("$.data.visibility");
    }

    @Test
    void shouldRejectUpdatedEventWithANoteLongerThan4000Characters() {
        String event = changed(REQUEST_UPDATED, e -> ((ObjectNode) e.get("data")).put("note", "x".repeat(4001)));
        String longest = changed(REQUEST_UPDATED, e -> ((ObjectNode) e.get("data")).put("note", "x".repeat(4000)));

        assertThat(EventContract.violations(event)).singleElement().asString().startsWith("$.data.note");
        assertThat(EventContract.violations(longest)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("reasonTypes")
    void shouldRejectAReasonLongerThan2000Characters(String type) {
        String event = changed(type, e -> ((ObjectNode) e.get("data")).put("reason", "x".repeat(2001)));
        String longest = changed(type, e -> ((ObjectNode) e.get("data")).put("reason", "x".repeat(2000)));

        assertThat(EventContract.violations(event)).singleElement().asString().startsWith("$.data.reason");
        assertThat(EventContract.violations(longest)).isEmpty();
    }

    static Stream<String> reasonTypes() {
        return Stream.of(REQUEST_PUT_ON_HOLD, REQUEST_TRANSFERRED, REQUEST_REOPENED);
    }

    @ParameterizedTest
    @MethodSource("reasonTypes")
    void shouldAcceptAReasonForStaffOnlyOrWithoutAVisibility(String type) {
        // visibility was added within v1: internal, public, absent or null (older producers) are all valid
        String internal = changed(type, e -> ((ObjectNode) e.get("data")).put("visibility", "internal"));
        String absent = changed(type, e -> ((ObjectNode) e.get("data")).remove("visibility"));
        String nullVisibility = changed(type, e -> ((ObjectNode) e.get("data")).putNull("visibility"));

        assertThat(EventContract.violations(internal)).isEmpty();
        assertThat(EventContract.violations(absent)).isEmpty();
        assertThat(EventContract.violations(nullVisibility)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("reasonTypes")
    void shouldRejectAReasonVisibilityOtherThanPublicOrInternal(String type) throws IOException {
        for (String visibility : List.of("private", "staff", "PUBLIC", "")) {
            String event = changed(type, e -> ((ObjectNode) e.get("data")).put("visibility", visibility));

            assertThat(EventContract.violations(event)).as(visibility).isNotEmpty()
                    .allSatisfy(v -> assertThat(v).startsWith("$.data.visibility"));
        }
        // an additive change: never required
        assertThat(readResource("schemas/" + type + ".json").at("/properties/data/required"))
                .extracting(JsonNode::asText).doesNotContain("visibility");
    }

    @Test
    void shouldRejectALinkOfARequestToItself() {
        String event = changed(REQUEST_LINKED, e -> ((ObjectNode) e.get("data")).put("parentRequestId", "311-00000042"));

        assertThat(EventContract.violations(event)).containsExactly("$.data.parentRequestId: must not equal "
                + "$.data.requestId ('311-00000042'): a request cannot duplicate itself");
        assertThat(EventContract.violations(EventContract.example(REQUEST_LINKED))).isEmpty();
    }

    @Test
    void shouldRejectResumedEventWithNegativeHeldSeconds() {
        String negative = changed(REQUEST_RESUMED, e -> ((ObjectNode) e.get("data")).put("heldSeconds", -1));
        String zero = changed(REQUEST_RESUMED, e -> ((ObjectNode) e.get("data")).put("heldSeconds", 0));

        assertThat(EventContract.violations(negative)).singleElement().asString().startsWith("$.data.heldSeconds");
        assertThat(EventContract.violations(zero)).isEmpty();
    }

    @Test
    void shouldRejectTransferredEventWithHopZero() {
        String event = changed(REQUEST_TRANSFERRED, e -> ((ObjectNode) e.get("data")).put("hop", 0));

        assertThat(EventContract.violations(event)).singleElement().asString().startsWith("$.data.hop");
    }

    @Test
    void shouldAcceptTransferredEventOfALaterHop() {
        String event = changed(REQUEST_TRANSFERRED, e -> ((ObjectNode) e.get("data")).put("hop", 3));

        assertThat(EventContract.violations(event)).isEmpty();
    }

    @Test
    void shouldRejectTransferredEventWhoseDepartmentIsNotWhereItWasTransferredTo() {
        String event = changed(REQUEST_TRANSFERRED, e -> ((ObjectNode) e.get("data")).put("department", "transportation"));

        assertThat(EventContract.violations(event)).containsExactly(
                "$.data.department: must equal $.data.toDepartment ('environmental-protection') but is 'transportation'");
    }

    @Test
    void shouldRejectResolvedEventWithoutResolutionCode() {
        String event = changed(REQUEST_RESOLVED, e -> ((ObjectNode) e.get("data")).remove("resolutionCode"));

        assertThat(EventContract.violations(event)).containsExactly("$.data: required property 'resolutionCode' not found");
    }

    @Test
    void shouldRejectFeedbackWithSatisfactionOutsideOneToFive() {
        String event = changed(FEEDBACK_RECEIVED, e -> ((ObjectNode) e.get("data")).put("satisfaction", 6));

        assertThat(EventContract.violations(event)).singleElement().asString().startsWith("$.data.satisfaction");
    }

    @Test
    void shouldAcceptTheCatalogExample() {
        String catalog = EventContract.example(CATALOG_PUBLISHED);

        assertThat(EventContract.violations(catalog)).isEmpty();
        JsonNode event = readExample(CATALOG_PUBLISHED);
        assertThat(event.get("subject").asText()).isEqualTo("catalog");
        assertThat(event.get("source").asText()).isEqualTo("/city311/routing-service");
        assertThat(event.at("/data/departments")).extracting(d -> d.get("code").asText())
                .containsExactly("triage", "transportation", "housing");
        assertThat(event.at("/data/services")).extracting(s -> s.get("code").asText() + "@" + s.get("department").asText())
                .containsExactly("other@triage", "streetlight-out@transportation", "pothole@transportation", "heat-hot-water@housing");
        Set<String> datatypes = new HashSet<>();
        event.at("/data/services").forEach(s -> s.get("attributes").forEach(a -> datatypes.add(a.get("datatype").asText())));
        assertThat(datatypes).contains("string", "singlevaluelist", "multivaluelist", "datetime");
    }

    @Test
    void shouldRejectCatalogWithAnUnknownAttributeDatatype() {
        String event = changed(CATALOG_PUBLISHED, e -> ((ObjectNode) e.at("/data/services/1/attributes/0")).put("datatype", "boolean"));

        assertThat(EventContract.violations(event)).singleElement().asString()
                .startsWith("$.data.services[1].attributes[0].datatype");
    }

    @Test
    void shouldRejectCatalogWithADepartmentCodeInUpperCase() {
        String event = changed(CATALOG_PUBLISHED, e -> ((ObjectNode) e.at("/data/departments/1")).put("code", "Transportation"));

        assertThat(EventContract.violations(event)).singleElement().asString().startsWith("$.data.departments[1].code");
    }

    @Test
    void shouldRejectCatalogWithoutHash() {
        String event = changed(CATALOG_PUBLISHED, e -> ((ObjectNode) e.get("data")).remove("hash"));

        assertThat(EventContract.violations(event)).containsExactly("$.data: required property 'hash' not found");
    }

    @Test
    void shouldRejectCatalogWithAHashThatIsNotLowerCaseSha256Hex() {
        String upperCase = changed(CATALOG_PUBLISHED, e -> ((ObjectNode) e.get("data")).put("hash", e.at("/data/hash").asText().toUpperCase()));
        String tooShort = changed(CATALOG_PUBLISHED, e -> ((ObjectNode) e.get("data")).put("hash", "2271423560f031e8"));

        assertThat(EventContract.violations(upperCase)).singleElement().asString().startsWith("$.data.hash");
        assertThat(EventContract.violations(tooShort)).singleElement().asString().startsWith("$.data.hash");
    }

    @Test
    void shouldRejectCatalogWhoseSubjectIsNotCatalog() {
        // the subject is the constant Kafka key, not a request id (and there is no data.requestId to compare with)
        String event = changed(CATALOG_PUBLISHED, e -> e.put("subject", "311-00000042"));

        assertThat(EventContract.violations(event)).singleElement().asString().startsWith("$.subject");
    }

    @Test
    void shouldRejectCatalogWithoutDepartments() {
        String event = changed(CATALOG_PUBLISHED, e -> ((ObjectNode) e.get("data")).putArray("departments"));

        assertThat(EventContract.violations(event)).singleElement().asString().startsWith("$.data.departments");
    }

    @Test
    void shouldRejectCatalogWithBadOpeningHours() {
        String badDay = changed(CATALOG_PUBLISHED, e -> ((ObjectNode) e.at("/data/departments/1/hours/weekly")).put("Monday", "08:00-17:00"));
        String badTime = changed(CATALOG_PUBLISHED, e -> ((ObjectNode) e.at("/data/departments/1/hours/weekly")).put("monday", "8:00-17:00"));
        String badHoliday = changed(CATALOG_PUBLISHED, e -> ((ArrayNode) e.at("/data/departments/1/hours/holidays")).add("26/11/2026"));

        assertThat(EventContract.violations(badDay)).isNotEmpty().allSatisfy(v -> assertThat(v).startsWith("$.data.departments[1].hours.weekly"));
        assertThat(EventContract.violations(badTime)).singleElement().asString().startsWith("$.data.departments[1].hours.weekly.monday");
        assertThat(EventContract.violations(badHoliday)).singleElement().asString().startsWith("$.data.departments[1].hours.holidays[3]");
    }

    @Test
    void shouldRejectCatalogWithBoundsOutOfRange() {
        String event = changed(CATALOG_PUBLISHED, e -> ((ObjectNode) e.at("/data/city/bounds")).put("west", -274.27));

        assertThat(EventContract.violations(event)).singleElement().asString().startsWith("$.data.city.bounds.west");
    }

    @Test
    void shouldRejectCatalogWithAServiceLevelInAnUnknownUnit() {
        String event = changed(CATALOG_PUBLISHED, e -> ((ObjectNode) e.at("/data/services/2/standard/resolution")).put("unit", "weeks"));

        assertThat(EventContract.violations(event)).singleElement().asString().startsWith("$.data.services[2].standard.resolution.unit");
    }

    @Test
    void shouldAcceptCatalogWithOptionalFieldsAbsentOrNull() {
        String event = changed(CATALOG_PUBLISHED, e -> {
            ((ObjectNode) e.at("/data/city")).putNull("bounds");
            ObjectNode department = (ObjectNode) e.at("/data/departments/0");
            department.putNull("mission");
            department.putNull("contact");
            department.remove("hours");
            ObjectNode service = (ObjectNode) e.at("/data/services/1");
            service.putNull("group");
            service.remove("description");
            ObjectNode attribute = (ObjectNode) e.at("/data/services/1/attributes/0");
            attribute.putNull("description");
            attribute.remove("datatypeDescription");
            attribute.put("addedInALaterRelease", true);
        });

        assertThat(EventContract.violations(event)).isEmpty();
    }

    @Test
    void shouldReportEventWithUnknownType() {
        String event = changed(REQUEST_CREATED, e -> e.put("type", "city311.request.created.v2"));

        assertThat(EventContract.violations(event)).singleElement().asString()
                .startsWith("no contract for type 'city311.request.created.v2'");
    }

    @Test
    void shouldReportEventWithoutType() {
        String event = changed(REQUEST_CREATED, e -> e.remove("type"));

        assertThat(EventContract.violations(event)).singleElement().asString().startsWith("no contract for type (missing)");
    }

    @Test
    void shouldReportTextThatIsNotJson() {
        assertThat(EventContract.violations("{\"specversion\": ")).singleElement().asString().startsWith("not JSON");
    }

    @Test
    void shouldRefuseExampleOfUnknownType() {
        assertThatIllegalArgumentException().isThrownBy(() -> EventContract.example("city311.request.created.v2"));
    }

    @Test
    void shouldListExactlyTheTypesThatHaveASchemaAndAnExample() throws Exception {
        assertThat(EventContract.types())
                .containsExactlyInAnyOrderElementsOf(jsonFileNames("schemas"))
                .containsExactlyInAnyOrderElementsOf(jsonFileNames("examples"));
    }

    @Test
    void shouldDescribeEveryTypeInTheAsyncApiDocument() throws IOException {
        // given the AsyncAPI document
        JsonNode asyncApi;
        try (InputStream in = resource("asyncapi.yaml")) {
            asyncApi = new YAMLMapper().readTree(in);
        }

        // then its messages are exactly the types, each with its own schema file
        Set<String> messageNames = new HashSet<>();
        asyncApi.at("/components/messages").forEach(message -> {
            String type = message.get("name").asText();
            messageNames.add(type);
            assertThat(message.at("/payload/schema/$ref").asText()).isEqualTo("./schemas/" + type + ".json");
        });
        assertThat(messageNames).isEqualTo(EventContract.types());

        // and the topics code names are exactly the channels' addresses
        List<String> addresses = new ArrayList<>();
        asyncApi.get("channels").forEach(channel -> addresses.add(channel.get("address").asText()));
        assertThat(Topics.all()).containsExactlyInAnyOrderElementsOf(addresses);

        // and every topic has exactly one producing operation
        Set<String> channels = new HashSet<>();
        asyncApi.get("channels").fieldNames().forEachRemaining(channels::add);
        List<String> sentTo = new ArrayList<>();
        asyncApi.get("operations").forEach(operation -> {
            if (operation.get("action").asText().equals("send")) {
                sentTo.add(operation.at("/channel/$ref").asText().replace("#/channels/", ""));
            }
        });
        assertThat(sentTo).containsExactlyInAnyOrderElementsOf(channels);

        // by the service the channel names as its single writer
        Map<String, String> producers = new TreeMap<>();
        asyncApi.get("operations").forEach(operation -> {
            if (operation.get("action").asText().equals("send")) {
                assertThat(operation.get("tags")).hasSize(1);
                producers.put(operation.at("/channel/$ref").asText().replace("#/channels/", ""), operation.at("/tags/0/name").asText());
            }
        });
        assertThat(producers).isEqualTo(Map.of(
                "requests", "request-service",
                "routing", "routing-service",
                "feedback", "feedback-service",
                "catalog", "routing-service"));
        producers.forEach((channel, producer) -> assertThat(asyncApi.at("/channels/" + channel + "/description").asText())
                .contains("Single writer: **" + producer + "**"));

        // and the catalog topic is compacted, every record keyed by the constant 'catalog'
        assertThat(asyncApi.at("/channels/catalog/address").asText()).isEqualTo("city311.catalog");
        assertThat(asyncApi.at("/channels/catalog/bindings/kafka/topicConfiguration/cleanup.policy"))
                .extracting(JsonNode::asText).containsExactly("compact");
        assertThat(asyncApi.at("/components/messageBindings/keyedByCatalog/kafka/key/const").asText()).isEqualTo("catalog");
        assertThat(asyncApi.at("/components/messages/catalogPublished/bindings/$ref").asText())
                .isEqualTo("#/components/messageBindings/keyedByCatalog");
    }

    private static String changed(String type, Consumer<ObjectNode> change) {
        try {
            ObjectNode event = (ObjectNode) JSON.readTree(EventContract.example(type));
            change.accept(event);
            return JSON.writeValueAsString(event);
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static JsonNode readExample(String type) {
        try {
            return JSON.readTree(EventContract.example(type));
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static Set<String> jsonFileNames(String folder) throws IOException, URISyntaxException {
        URL url = EventContractTests.class.getClassLoader().getResource("city311/contracts/" + folder);
        assertThat(url).as("city311/contracts/%s on the classpath", folder).isNotNull();
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            return files.map(path -> path.getFileName().toString())
                    .filter(name -> name.endsWith(".json"))
                    .map(name -> name.substring(0, name.length() - ".json".length()))
                    .collect(Collectors.toSet());
        }
    }

    private static JsonNode readResource(String path) throws IOException {
        try (InputStream in = resource(path)) {
            return JSON.readTree(in);
        }
    }

    private static InputStream resource(String path) {
        InputStream in = EventContractTests.class.getClassLoader().getResourceAsStream("city311/contracts/" + path);
        assertThat(in).as("city311/contracts/%s on the classpath", path).isNotNull();
        return in;
    }
}
