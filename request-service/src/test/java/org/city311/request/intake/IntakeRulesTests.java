package org.city311.request.intake;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.city311.contracts.EventContract;
import org.city311.platform.web.Problems.FieldProblem;
import org.city311.request.Channel;
import org.city311.request.ServiceRequest.Segment;
import org.city311.request.catalog.CatalogSnapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Intake's decisions without a store, a clock or HTTP: the request and the catalog routing-service published. */
class IntakeRulesTests {

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private static final CatalogSnapshot CATALOG = JSON.treeToValue(
            JSON.readTree(EventContract.example(EventContract.CATALOG_PUBLISHED)).path("data"), CatalogSnapshot.class);
    private static final Instant NOW = Instant.parse("2026-11-23T14:00:00Z");

    @Test
    void shouldAcceptAResidentsPotholeWithItsAnswersAndPoint() {
        NewRequest pothole = request("pothole", Channel.PHONE, new NewRequest.NewLocation("12 Canal St", 40.7191,
                -74.0013), Map.of("size", "large"), null);

        IntakeRules.Decision decision = IntakeRules.check(pothole, CATALOG, "call-centre", NOW);

        assertThat(decision.accepted()).as(decision.problems().toString()).isTrue();
        assertThat(decision.checked().segment()).isEqualTo(Segment.RESIDENT);
        assertThat(decision.checked().location().address()).isEqualTo("12 Canal St");
        assertThat(decision.checked().attributes()).containsEntry("size", "large");
        assertThat(decision.checked().now()).isEqualTo(NOW);
        assertThat(decision.checked().team()).isEqualTo("call-centre");
    }

    @Test
    void shouldRefuseAnUnknownServiceAloneSinceNothingElseCanBeCheckedWithoutIt() {
        NewRequest unknown = request("alien-landing", Channel.PHONE, new NewRequest.NewLocation(null, 95.0, null),
                Map.of(), null);

        assertThat(IntakeRules.check(unknown, CATALOG, null, NOW).problems()).extracting(FieldProblem::field)
                .containsExactly("serviceCode");
    }

    @Test
    void shouldNameEveryFieldAtFaultAtOnce() {
        // half a point, a required answer missing, and an internal request that names no department asking
        NewRequest wrong = request("pothole", Channel.INTERNAL, new NewRequest.NewLocation(null, 40.7, null),
                Map.of(), null);

        IntakeRules.Decision decision = IntakeRules.check(wrong, CATALOG, null, NOW);

        assertThat(decision.accepted()).isFalse();
        assertThat(decision.checked()).isNull();
        assertThat(decision.problems()).extracting(FieldProblem::field)
                .contains("location", "requestingDepartment", "attributes.size");
    }

    @Test
    void shouldRefuseAPointOutsideTheCityAndADepartmentThatDoesNotExist() {
        NewRequest far = request("pothole", Channel.PHONE, new NewRequest.NewLocation(null, 51.5, -0.12),
                Map.of("size", "small"), "ministry-of-magic");

        assertThat(IntakeRules.check(far, CATALOG, null, NOW).problems())
                .extracting(FieldProblem::field, FieldProblem::message)
                .contains(tuple("location", "(51.5, -0.12) is outside the city"),
                        tuple("requestingDepartment", "no department ministry-of-magic"));
    }

    @Test
    void shouldTakeARequestOneDepartmentFilesForAnotherAsInternal() {
        NewRequest internal = request("pothole", Channel.INTERNAL, null, Map.of("size", "small"), "housing");

        IntakeRules.Decision decision = IntakeRules.check(internal, CATALOG, null, NOW);

        assertThat(decision.accepted()).as(decision.problems().toString()).isTrue();
        assertThat(decision.checked().segment()).isEqualTo(Segment.INTERNAL);
        assertThat(decision.checked().location()).isNull();
    }

    private static NewRequest request(String service, Channel channel, NewRequest.NewLocation location,
            Map<String, Object> attributes, String requestingDepartment) {
        return new NewRequest(service, "Deep pothole by the curb", channel, location, null, attributes, null,
                requestingDepartment, List.of());
    }
}
