package org.city311.routing.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.city311.routing.catalog.Catalog;
import org.city311.routing.catalog.SampleCatalogs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The sample city's requests land in the right department, and every decision names the rule that made it. */
class RoutingRulesTests {

    private static final Catalog SAMPLE_CITY = SampleCatalogs.sampleCity();

    // Points of the sample city, (latitude, longitude)
    private static final double[] CITY_HALL = { 40.7128, -74.0060 };
    private static final double[] BETHESDA_TERRACE = { 40.7740, -73.9708 };
    /** Columbus Circle: the south-west corner of Central Park, a vertex of its border with Manhattan. */
    private static final double[] COLUMBUS_CIRCLE = { 40.7681, -73.9819 };
    private static final double[] PARK_SLOPE = { 40.6710, -73.9814 };
    private static final double[] ST_GEORGE = { 40.6400, -74.0800 };
    private static final double[] ATLANTIC_OCEAN = { 40.5000, -73.8000 };

    private final RoutingRules rules = new RoutingRules(() -> SAMPLE_CITY);

    static Stream<Arguments> everyServiceOfTheSampleCity() {
        return SAMPLE_CITY.services().stream()
                .filter(service -> !service.code().equals(Catalog.OTHER))
                .map(service -> arguments(service.code(), service.department()));
    }

    @ParameterizedTest(name = "{0} goes to {1}")
    @MethodSource("everyServiceOfTheSampleCity")
    void shouldRouteEveryServiceToTheDepartmentThatProvidesIt(String service, String department) {
        RoutingDecision decision = rules.route(RoutingInput.of(service));

        assertThat(decision).isEqualTo(new RoutingDecision(department, RoutingDecision.SERVICE_OWNER, null));
    }

    static Stream<Arguments> everyRuleKind() {
        return Stream.of(
                // district rules
                arguments("litter basket in Central Park", at("overflowing-litter-basket", BETHESDA_TERRACE),
                        "parks", "district:central-park", "central-park"),
                arguments("street light on Central Park's border", at("streetlight-out", COLUMBUS_CIRCLE),
                        "parks", "district:central-park", "central-park"),
                arguments("litter basket at City Hall", at("overflowing-litter-basket", CITY_HALL),
                        "sanitation", "service-owner", "manhattan"),
                arguments("pothole in Central Park: no district rule for potholes", at("pothole", BETHESDA_TERRACE),
                        "transportation", "service-owner", "central-park"),
                arguments("street light in Brooklyn", at("streetlight-out", PARK_SLOPE),
                        "transportation", "service-owner", "brooklyn"),
                arguments("street light on Staten Island", at("streetlight-out", ST_GEORGE),
                        "transportation", "service-owner", "staten-island"),
                arguments("a location outside every district", at("dead-animal", ATLANTIC_OCEAN),
                        "sanitation", "service-owner", null),
                // attribute rules
                arguments("construction noise in the street",
                        answered("noise-street", Map.of("noise-type", "construction")),
                        "environmental-protection", "attribute:noise-type=construction", null),
                arguments("music in the street", answered("noise-street", Map.of("noise-type", "music")),
                        "police", "service-owner", null),
                arguments("a leak inside a building", answered("water-leak", Map.of("location", "inside-building")),
                        "housing", "attribute:location=inside-building", null),
                arguments("a leak in the roadway", answered("water-leak", Map.of("location", "street")),
                        "environmental-protection", "service-owner", null),
                arguments("a broken manhole cover", answered("street-condition", Map.of("condition", "defective-hardware")),
                        "environmental-protection", "attribute:condition=defective-hardware", null),
                arguments("rats among other pests (a multi-value answer)",
                        answered("unsanitary-condition", Map.of("problem", List.of("roaches", "rats"))),
                        "health", "attribute:problem=rats", null),
                arguments("roaches only", answered("unsanitary-condition", Map.of("problem", List.of("roaches"))),
                        "housing", "service-owner", null),
                // keyword rules, for "other"
                arguments("rats in the yard", described("There are RATS in the back yard!"),
                        "health", "keyword:rats", null),
                arguments("no heat", described("No heat since Monday, the radiator is cold."),
                        "housing", "keyword:no heat", null),
                arguments("a pothole", described("A huge pothole on 5th Ave."), "transportation", "keyword:pothole", null),
                arguments("graffiti", described("Graffiti all over the mailbox"), "sanitation", "keyword:graffiti", null),
                arguments("a keyword only as part of a word", described("The ratatouille was pirated"),
                        "triage", "fallback-triage", null),
                arguments("words no rule knows", described("A question about my jury duty"),
                        "triage", "fallback-triage", null),
                arguments("other without a description", RoutingInput.of("other"), "triage", "fallback-triage", null),
                arguments("keyword words for a service other than other",
                        new RoutingInput("noise-street", "rats everywhere", null, null, null),
                        "police", "service-owner", null),
                // fallback
                arguments("an unknown service", RoutingInput.of("alien-landing"), "triage", "fallback-triage", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyRuleKind")
    void shouldRouteByTheFirstRuleThatMatches(String request, RoutingInput input, String department, String rule,
            String district) {
        RoutingDecision decision = rules.route(input);

        assertThat(decision).isEqualTo(new RoutingDecision(department, rule, district));
    }

    @Test
    void shouldLetAServiceCodeRuleReassignAWholeServiceBeforeAnyOtherRule() {
        // given the sample city with streetlights reassigned to sanitation
        RoutingRules reassigned = withRulesFirst(
                new Catalog.Rule("service-code", "streetlight-out", "sanitation", null, null, null, null));

        // when a street light is reported in Central Park, where a district rule would send it to parks
        RoutingDecision decision = reassigned.route(at("streetlight-out", BETHESDA_TERRACE));

        // then the service-code rule decides
        assertThat(decision).isEqualTo(new RoutingDecision("sanitation", "service-code", "central-park"));
    }

    @Test
    void shouldTryDistrictRulesBeforeAttributeRules() {
        RoutingRules rules = withRulesFirst(
                new Catalog.Rule("district", "noise-street", "parks", List.of("central-park"), null, null, null));
        RoutingInput construction = new RoutingInput("noise-street", null, Map.of("noise-type", "construction"),
                BETHESDA_TERRACE[0], BETHESDA_TERRACE[1]);

        assertThat(rules.route(construction))
                .isEqualTo(new RoutingDecision("parks", "district:central-park", "central-park"));
    }

    @Test
    void shouldTakeTheFirstKeywordRuleOfTheFileWhenTwoMatch() {
        // "rats" (health) comes before "no heat" (housing) in the file
        RoutingDecision decision = rules.route(new RoutingInput("other", "No heat, and rats.", null, null, null));

        assertThat(decision).isEqualTo(new RoutingDecision("health", "keyword:rats", null));
    }

    private static RoutingRules withRulesFirst(Catalog.Rule rule) {
        List<Catalog.Rule> rules = new ArrayList<>();
        rules.add(rule);
        rules.addAll(SAMPLE_CITY.rules());
        Catalog catalog = SAMPLE_CITY.withRules(rules);
        return new RoutingRules(() -> catalog);
    }

    private static RoutingInput at(String service, double[] point) {
        return new RoutingInput(service, null, null, point[0], point[1]);
    }

    private static RoutingInput answered(String service, Map<String, Object> attributes) {
        return new RoutingInput(service, null, attributes, null, null);
    }

    private static RoutingInput described(String description) {
        return new RoutingInput("other", description, null, null, null);
    }
}
