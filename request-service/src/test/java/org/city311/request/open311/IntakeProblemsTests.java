package org.city311.request.open311;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.city311.platform.web.Problems;
import org.city311.platform.web.Problems.FieldProblem;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

import static org.assertj.core.api.Assertions.assertThat;

/** Intake's problem+json refusals, retold as Open311 error arrays in Open311's own argument names. */
class IntakeProblemsTests {

    @Test
    void shouldNameOpen311ArgumentsInsteadOfTheStaffApisFields() {
        Open311Exception error = IntakeProblems.translate(Problems.invalid(List.of(
                new FieldProblem("attributes.size", "required: How big is the pothole?"),
                new FieldProblem("location.address", "contains a control character (U+0007)"),
                new FieldProblem("location", "(51.5, -0.12) is outside the city"),
                new FieldProblem("resident.phone", "digits, spaces and + ( ) . / - only"))));

        assertThat(error.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(error.descriptions()).containsExactly("attribute[size]: required: How big is the pothole?",
                "address_string: contains a control character (U+0007)",
                "lat/long: (51.5, -0.12) is outside the city", "phone: digits, spaces and + ( ) . / - only");
    }

    @Test
    void shouldKeepNotFoundAndTellClientsWhenToRetryWhileTheCatalogIsMissing() {
        ErrorResponseException unavailable = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "Catalog not yet available",
                "The service catalog has not been received from routing-service yet; try again shortly.");
        unavailable.getHeaders().set("Retry-After", "10");

        Open311Exception error = IntakeProblems.translate(unavailable);

        assertThat(error.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(error.headers().getFirst("Retry-After")).isEqualTo("10");
        assertThat(error.descriptions()).singleElement().asString().contains("catalog");
        assertThat(IntakeProblems.translate(Problems.notFound("No service request 311-1.")).status())
                .isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(IntakeProblems.translate(Problems.conflict("already linked")).status())
                .isEqualTo(HttpStatus.BAD_REQUEST);
    }

    @Test
    void shouldMapBeanValidationPathsIntoAttributes() {
        assertThat(IntakeProblems.open311Field("attributes")).isEqualTo("attribute");
        assertThat(IntakeProblems.open311Field("serviceCode")).isEqualTo("service_code");
        assertThat(IntakeProblems.open311Field("resident.email")).isEqualTo("email");
        assertThat(IntakeProblems.open311Field("location.latitude")).isEqualTo("lat");
    }
}
