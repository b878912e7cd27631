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

    /** The transportation department of {@link #VALID} with every field of its brochure. */
    private static final String BROCHURE = """
              - code: transportation
                name: "Transportation"
                mission: "Keep the streets safe."
                description: "Streets, lights and signals."
                location: { address: "2 Civic Center Plaza", openingHours: "Mon-Fri 8:00-17:00" }
                contact: { phone: "(212) 555-0101 ext. 4", email: "dot@city.example", url: "https://city.example/dot" }
                skills: ["Pothole repair", "Signal maintenance"]
                facts:
                  - { label: "Streetlights", value: "12,400" }
                  - { label: "Traffic signals", value: 310 }
                faq:
                  - question: "How fast is a pothole filled?"
                    answer: "Within 10 business days."
                feedbackUrl: "https://city.example/dot/feedback"
            """;

    private static String withBrochure(String brochure) {
        return VALID.replace("  - { code: transportation, name: \"Transportation\" }\n", brochure);
    }

    @Test
    void shouldReadWhatADepartmentPublishesAboutItself() {
        Catalog catalog = loader.load(stream(withBrochure(BROCHURE)));

        Catalog.Department transportation = catalog.department("transportation").orElseThrow();
        assertThat(transportation.mission()).isEqualTo("Keep the streets safe.");
        assertThat(transportation.description()).isEqualTo("Streets, lights and signals.");
        assertThat(transportation.location()).isEqualTo(new Catalog.Location("2 Civic Center Plaza",
                "Mon-Fri 8:00-17:00"));
        assertThat(transportation.contact()).isEqualTo(new Catalog.Contact("(212) 555-0101 ext. 4", "dot@city.example",
                "https://city.example/dot"));
        assertThat(transportation.skills()).containsExactly("Pothole repair", "Signal maintenance");
        assertThat(transportation.facts()).containsExactly(new Catalog.Fact("Streetlights", "12,400"),
                new Catalog.Fact("Traffic signals", "310"));
        assertThat(transportation.faq()).containsExactly(new Catalog.Question("How fast is a pothole filled?",
                "Within 10 business days."));
        assertThat(transportation.feedbackUrl()).isEqualTo("https://city.example/dot/feedback");
    }

    @Test
    void shouldReadADepartmentThatPublishesNothingAboutItself() {
        Catalog.Department triage = loader.load(stream(VALID)).department("triage").orElseThrow();

        assertThat(triage.description()).isNull();
        assertThat(triage.location()).isNull();
        assertThat(triage.skills()).isEmpty();
        assertThat(triage.facts()).isEmpty();
        assertThat(triage.faq()).isEmpty();
        assertThat(triage.feedbackUrl()).isNull();
    }

    @Test
    void shouldPublishABrochureForEveryDepartmentOfTheSampleCity() {
        Catalog catalog = loader.load(getClass().getResourceAsStream("/catalog/sample-city.yml"));

        assertThat(catalog.departments()).hasSize(11).allSatisfy(department -> {
            assertThat(department.mission()).as(department.code()).isNotBlank();
            assertThat(department.description()).as(department.code()).isNotBlank();
            assertThat(department.location().address()).as(department.code()).isNotBlank();
            assertThat(department.location().openingHours()).as(department.code()).isNotBlank();
            assertThat(department.contact().email()).as(department.code()).endsWith("@samplecity.example");
            assertThat(department.skills()).as(department.code()).hasSizeGreaterThanOrEqualTo(3);
            assertThat(department.facts()).as(department.code()).hasSizeGreaterThanOrEqualTo(3);
            assertThat(department.faq()).as(department.code()).hasSizeGreaterThanOrEqualTo(3);
            assertThat(department.feedbackUrl()).as(department.code()).startsWith("https://samplecity.example/");
        });
        assertThat(catalog.department("transportation").orElseThrow().facts())
                .contains(new Catalog.Fact("Streetlights", "12,400"));
    }

    @Test
    void shouldRefuseABrochureWithBadValuesNamingEachWithItsLine() {
        String wrong = withBrochure(BROCHURE
                .replace("\"Keep the streets safe.\"", "\"" + "x".repeat(EntryChecks.MAX_MISSION + 1) + "\"")
                .replace("\"(212) 555-0101 ext. 4\"", "\"call us\"")
                .replace("\"dot@city.example\"", "\"dot at city.example\"")
                .replace("\"https://city.example/dot\"", "\"city.example/dot\"")
                .replace("\"Signal maintenance\"", "\" \"")
                .replace("value: 310", "value: \"\"")
                .replace("answer: \"Within 10 business days.\"", "answer: \"\"")
                .replace("\"https://city.example/dot/feedback\"", "\"ftp://city.example/feedback\""));

        assertThat(problems(wrong)).containsExactly(
                "department 'transportation' (line " + lineOf(wrong, "mission:") + "): mission has "
                        + (EntryChecks.MAX_MISSION + 1) + " characters; at most " + EntryChecks.MAX_MISSION,
                "department 'transportation' (line " + lineOf(wrong, "contact:") + "): contact phone 'call us' is"
                        + " not a phone number (at least 3 digits; letters, spaces and + ( ) . / # , - besides; at"
                        + " most 40 characters)",
                "department 'transportation' (line " + lineOf(wrong, "contact:") + "): contact email"
                        + " 'dot at city.example' is not an e-mail address such as 'parks@city.example'",
                "department 'transportation' (line " + lineOf(wrong, "contact:") + "): contact url"
                        + " 'city.example/dot' is not a web address such as 'https://city.example/parks' (http or"
                        + " https, at most 2000 characters)",
                "department 'transportation' (line " + lineOf(wrong, "feedbackUrl:") + "): feedbackUrl"
                        + " 'ftp://city.example/feedback' is not a web address such as 'https://city.example/parks'"
                        + " (http or https, at most 2000 characters)",
                "department 'transportation' (line " + lineOf(wrong, "skills:") + "): skill 2 is empty",
                "department 'transportation' (line " + lineOf(wrong, "label: \"Traffic signals\"")
                        + "): fact 2 value is empty",
                "department 'transportation' (line " + lineOf(wrong, "answer:") + "): faq 1 answer is empty");
    }

    @Test
    void shouldRefuseAFactOrQuestionLeftHalfWrittenAndTooManySkills() {
        String wrong = withBrochure(BROCHURE
                .replace("skills: [\"Pothole repair\", \"Signal maintenance\"]",
                        "skills: [" + "\"Paving\", ".repeat(EntryChecks.MAX_SKILLS) + "\"Paving\"]")
                .replace("{ label: \"Streetlights\", value: \"12,400\" }", "{ label: \"Streetlights\" }")
                .replace("      - question: \"How fast is a pothole filled?\"\n        answer: \"Within 10 business days.\"\n",
                        "      -\n"));

        assertThat(problems(wrong)).containsExactly(
                "department 'transportation' (line " + lineOf(wrong, "skills:") + "): skills has "
                        + (EntryChecks.MAX_SKILLS + 1) + " entries; at most " + EntryChecks.MAX_SKILLS,
                "department 'transportation' (line " + lineOf(wrong, "label: \"Streetlights\"")
                        + "): fact 1 value is empty",
                "department 'transportation' (line " + (lineOf(wrong, "faq:") + 1)
                        + "): faq 1 is empty: give a question and its answer");
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
