package org.city311.routing.catalog;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.list;
import static org.city311.routing.catalog.SampleCatalogs.lineOf;

class CatalogLoaderTests {

    private static final String VALID = """
            catalogVersion: "1"
            city: { name: "Test City", timeZone: "America/New_York" }
            departments:
              - { code: triage, name: "311 Triage" }
              - { code: transportation, name: "Transportation" }
            services:
              - code: pothole
                name: "Pothole"
                department: transportation
                standard:
                  firstAction: { amount: 2, unit: business_days }
                  resolution: { amount: 10, unit: business_days }
                  pauseOnHold: true
                attributes:
                  - { code: size, datatype: singlevaluelist, required: true, order: 1, values: [{ key: small, name: Small }] }
            """;

    private final CatalogLoader loader = new CatalogLoader();

    @Test
    void shouldLoadTheSampleCityWithEveryServiceOwnedByAKnownDepartment() {
        Catalog catalog = loader.load(getClass().getResourceAsStream("/catalog/sample-city.yml"));

        assertThat(catalog.departments()).hasSizeGreaterThanOrEqualTo(8);
        assertThat(catalog.services()).hasSizeGreaterThanOrEqualTo(40);
        assertThat(catalog.service("streetlight-out")).get().extracting(Catalog.Service::department)
                .isEqualTo("transportation");
        assertThat(catalog.service("other")).get().extracting(Catalog.Service::department).isEqualTo("triage");
    }

    @Test
    void shouldReadAValidCatalogWithDefaults() {
        Catalog catalog = loader.load(stream(VALID));

        Catalog.Service pothole = catalog.service("pothole").orElseThrow();
        assertThat(pothole.type()).isEqualTo("realtime");
        assertThat(pothole.standard().resolution()).isEqualTo(new Catalog.Target(10, "business_days"));
        assertThat(pothole.attributes().get(0).variable()).isTrue();
    }

    @Test
    void shouldRefuseAServiceOfAnUnknownDepartmentNamingIt() {
        String wrong = VALID.replace("department: transportation", "department: transport");

        assertThatThrownBy(() -> loader.load(stream(wrong)))
                .isInstanceOf(InvalidCatalogException.class)
                .extracting(ex -> ((InvalidCatalogException) ex).problems(), list(String.class))
                .containsExactly("service 'pothole' (line " + lineOf(VALID, "department: transportation")
                        + "): unknown department 'transport'");
    }

    @Test
    void shouldRefuseDuplicateCodesAndAMissingTriageDesk() {
        String wrong = VALID.replace("code: triage", "code: transportation");

        assertThatThrownBy(() -> loader.load(stream(wrong)))
                .isInstanceOf(InvalidCatalogException.class)
                .extracting(ex -> ((InvalidCatalogException) ex).problems(), list(String.class))
                .contains("department 'transportation' (line " + lineOf(VALID, "code: transportation")
                                + ") is listed twice (first at line " + lineOf(VALID, "code: triage") + ")",
                        "no 'triage' department: requests that no rule matches need one");
    }

    @Test
    void shouldRefuseADuplicateServiceCodeNamingBothLines() {
        String wrong = VALID + VALID.substring(VALID.indexOf("  - code: pothole"));

        assertThat(problems(wrong)).containsExactly("service 'pothole' (line " + nthLineOf(wrong, "code: pothole", 2)
                + ") is listed twice (first at line " + lineOf(wrong, "code: pothole") + ")");
    }

    @Test
    void shouldRefuseACatalogWithoutVersionOrCity() {
        String wrong = VALID.replace("catalogVersion: \"1\"\n", "").replace("name: \"Test City\", ", "");

        assertThat(problems(wrong)).containsExactly("no catalogVersion: every catalog names its version",
                "city (line 1): needs a name and a timeZone");
    }

    @Test
    void shouldReadHowADepartmentAssignsItsWork() {
        String assigning = VALID.replace("{ code: transportation, name: \"Transportation\" }",
                "{ code: transportation, name: \"Transportation\", assignment: round-robin, agents: [a.one, b.two] }");

        Catalog catalog = loader.load(stream(assigning));

        assertThat(catalog.department("transportation")).get().satisfies(department -> {
            assertThat(department.assignment()).isEqualTo("round-robin");
            assertThat(department.agents()).containsExactly("a.one", "b.two");
            assertThat(department.assignsAgents()).isTrue();
        });
        assertThat(catalog.department("triage")).get().satisfies(department -> {
            assertThat(department.assignment()).isEqualTo("none");
            assertThat(department.assignsAgents()).isFalse();
        });
    }

    @Test
    void shouldRefuseAnAssignmentWithoutAgentsOfAnUnknownKindOrWithAnAgentTwiceNamingTheLine() {
        String noAgents = VALID.replace("{ code: transportation, name: \"Transportation\" }",
                "{ code: transportation, name: \"Transportation\", assignment: least-loaded }");
        String unknown = VALID.replace("{ code: transportation, name: \"Transportation\" }",
                "{ code: transportation, name: \"Transportation\", assignment: random, agents: [a.one] }");
        String twice = VALID.replace("  - { code: transportation, name: \"Transportation\" }",
                "  - code: transportation\n    name: \"Transportation\"\n    assignment: round-robin\n"
                        + "    agents:\n      - a.one\n      - a.one");
        int line = lineOf(VALID, "code: transportation");

        assertThat(problems(noAgents)).containsExactly("department 'transportation' (line " + line
                + "): a least-loaded assignment needs agents");
        assertThat(problems(unknown)).containsExactly("department 'transportation' (line " + line
                + "): assignment 'random' is not one of [none, round-robin, least-loaded]");
        assertThat(problems(twice)).containsExactly("department 'transportation' (line " + (line + 5)
                + "): agent 'a.one' is listed twice");
    }

    @Test
    void shouldNameTheLineOfAMisspeltKeyLeavingARequiredValueOut() {
        String wrong = VALID.replace("pauseOnHold: true", "pauseOnHolt: true");

        assertThatThrownBy(() -> loader.load(stream(wrong)))
                .isInstanceOf(InvalidCatalogException.class)
                .hasMessageContaining("line 14");
    }

    private java.util.List<String> problems(String yaml) {
        try {
            loader.load(stream(yaml));
        }
        catch (InvalidCatalogException ex) {
            return ex.problems();
        }
        throw new AssertionError("the catalog was accepted");
    }

    /** The 1-based line of the n-th line holding {@code text}. */
    private static int nthLineOf(String document, String text, int n) {
        String[] lines = document.split("\n", -1);
        for (int i = 0, seen = 0; i < lines.length; i++) {
            if (lines[i].contains(text) && ++seen == n) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("no line " + n + " holds " + text);
    }

    private static ByteArrayInputStream stream(String yaml) {
        return new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8));
    }
}
