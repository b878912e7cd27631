package org.city311.console.call;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.city311.console.upstream.Catalog;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

import static org.assertj.core.api.Assertions.assertThat;

class CallFormTests {

    static final Catalog.Service STREETLIGHT = new Catalog.Service("streetlight-out", "Street Light Out", "Streets",
            List.of(), "A street light that is out", "transportation", "realtime", null, List.of(
                    new Catalog.Attribute("light-condition", "singlevaluelist", true, true, 2, "What is wrong?", null,
                            List.of(new Catalog.Value("out", "Completely out"), new Catalog.Value("flickering", "Flickering"))),
                    new Catalog.Attribute("pole-number", "string", false, true, 1, "Pole number", null, List.of()),
                    new Catalog.Attribute("hazards", "multivaluelist", false, true, 3, "Hazards", null,
                            List.of(new Catalog.Value("wires", "Wires down"), new Catalog.Value("dark", "Very dark")))));

    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    static final Catalog.Service CONSTRUCTION_NOISE = new Catalog.Service("noise-construction", "Construction Noise",
            "Noise", List.of(), "Construction out of hours", "environment", "realtime", null, List.of(
                    new Catalog.Attribute("heard-at", "datetime", true, true, 1, "When did you hear it?", null,
                            List.of())));

    static MultiValueMap<String, String> form(String... namesAndValues) {
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            form.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return form;
    }

    @Test
    void shouldNameTheUnansweredRequiredQuestionNextToItsField() {
        CallForm call = CallForm.read(form("serviceCode", "streetlight-out", "address", "1 Main St"));

        assertThat(call.check(STREETLIGHT)).extracting(CallForm.FieldError::field).containsExactly("attr.light-condition");
    }

    @Test
    void shouldRefuseAnAnswerThatIsNotOneOfTheListedValues() {
        CallForm call = CallForm.read(form("serviceCode", "streetlight-out", "address", "1 Main St",
                "attr.light-condition", "exploded"));

        assertThat(call.check(STREETLIGHT)).extracting(CallForm.FieldError::message)
                .containsExactly("Choose one of the listed answers.");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldFileTheCallersDetailsAsTheResidentAndTheAnswersByTheirDatatype() {
        CallForm call = CallForm.read(form("serviceCode", "streetlight-out", "description", "dark since Monday",
                "address", "1 Main St", "latitude", "40.7", "longitude", "-73.9", "firstName", "Ada", "phone",
                "555 0100", "consentToContact", "yes", "attr.light-condition", "out", "attr.hazards", "wires",
                "attr.hazards", "dark", "attr.pole-number", ""));

        assertThat(call.check(STREETLIGHT)).isEmpty();
        Map<String, Object> body = call.toRequest(STREETLIGHT, null, NEW_YORK);
        assertThat(body).containsEntry("serviceCode", "streetlight-out").containsEntry("channel", "phone")
                .containsEntry("attributes", Map.of("light-condition", "out", "hazards", List.of("wires", "dark")));
        assertThat((Map<String, Object>) body.get("resident")).containsEntry("firstName", "Ada")
                .containsEntry("phone", "555 0100").containsEntry("consentToContact", true);
        assertThat((Map<String, Object>) body.get("location")).containsEntry("latitude", 40.7);
    }

    @Test
    void shouldFileAnInternalRequestForTheAgentsOwnDepartmentWithoutAResident() {
        CallForm call = CallForm.read(form("serviceCode", "streetlight-out", "internal", "yes", "firstName", "Ada",
                "attr.light-condition", "out"));

        Map<String, Object> body = call.toRequest(STREETLIGHT, "parks", NEW_YORK);
        assertThat(body).containsEntry("channel", "internal").containsEntry("requestingDepartment", "parks")
                .doesNotContainKey("resident");
    }

    @Test
    void shouldAskForAWayToReachACallerWhoAgreesToBeContacted() {
        CallForm call = CallForm.read(form("serviceCode", "streetlight-out", "address", "1 Main St",
                "attr.light-condition", "out", "consentToContact", "yes"));

        assertThat(call.check(STREETLIGHT)).extracting(CallForm.FieldError::field).containsExactly("phone");
    }

    @Test
    void shouldRefuseALatitudeThatIsNotOne() {
        CallForm call = CallForm.read(form("serviceCode", "streetlight-out", "latitude", "north", "longitude", "-73.9",
                "attr.light-condition", "out"));

        assertThat(call.check(STREETLIGHT)).extracting(CallForm.FieldError::field).contains("latitude");
    }

    @Test
    void shouldPutTheServicesFieldErrorsNextToTheFormsFields() {
        assertThat(CallController.formField("attributes.light-condition")).isEqualTo("attr.light-condition");
        assertThat(CallController.formField("location.latitude")).isEqualTo("latitude");
        assertThat(CallController.formField("resident.email")).isEqualTo("email");
    }

    @Test
    void shouldSendADateAndTimeWithTheCitysOffsetOnThatDay() {
        // the browser's date-and-time field gives no offset; the caller means the city's time
        CallForm winter = CallForm.read(form("serviceCode", "noise-construction", "address", "1 Main St",
                "attr.heard-at", "2026-11-23T06:15"));
        CallForm summer = CallForm.read(form("serviceCode", "noise-construction", "address", "1 Main St",
                "attr.heard-at", "2026-07-01T23:40"));

        assertThat(winter.check(CONSTRUCTION_NOISE)).isEmpty();
        assertThat(winter.toRequest(CONSTRUCTION_NOISE, null, NEW_YORK))
                .containsEntry("attributes", Map.of("heard-at", "2026-11-23T06:15:00-05:00"));
        assertThat(summer.toRequest(CONSTRUCTION_NOISE, null, NEW_YORK))
                .containsEntry("attributes", Map.of("heard-at", "2026-07-01T23:40:00-04:00"));
        // an answer that already has its offset is sent as it is
        assertThat(CallForm.withOffset("2026-11-23T06:15:00Z", NEW_YORK)).isEqualTo("2026-11-23T06:15:00Z");
    }

    @Test
    void shouldAskAgainForADateAndTimeThatIsNone() {
        CallForm call = CallForm.read(form("serviceCode", "noise-construction", "address", "1 Main St",
                "attr.heard-at", "last night"));

        assertThat(call.check(CONSTRUCTION_NOISE)).extracting(CallForm.FieldError::message)
                .containsExactly("Give a date and a time.");
    }
}
