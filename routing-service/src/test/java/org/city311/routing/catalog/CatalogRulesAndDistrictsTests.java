package org.city311.routing.catalog;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.list;
import static org.city311.routing.catalog.SampleCatalogs.lineOf;

/** Loading the routing rules and the districts file of a catalog, and refusing each kind of mistake in them. */
class CatalogRulesAndDistrictsTests {

    private static final String CATALOG = """
            catalogVersion: "1"
            city: { name: "Test City", timeZone: "America/New_York" }
            districts: districts.geojson
            departments:
              - { code: triage, name: "311 Triage" }
              - { code: transportation, name: "Transportation" }
              - { code: parks, name: "Parks" }
            services:
              - code: other
                name: "Other"
                department: triage
                standard:
                  firstAction: { amount: 4, unit: hours }
                  resolution: { amount: 5, unit: calendar_days }
                  pauseOnHold: true
              - code: pothole
                name: "Pothole"
                department: transportation
                standard:
                  firstAction: { amount: 2, unit: business_days }
                  resolution: { amount: 10, unit: business_days }
                  pauseOnHold: true
                attributes:
                  - { code: size, datatype: singlevaluelist, required: true, order: 1, values: [{ key: small, name: Small }, { key: large, name: Large }] }
                  - { code: lane, datatype: string, required: false, order: 2 }
            rules:
              - kind: district
                service: pothole
                districts: [north]
                department: parks
              - kind: attribute
                service: pothole
                attribute: size
                values: [large]
                department: parks
              - kind: keyword
                keywords: [pothole, "hole in the road"]
                department: transportation
            """;

    /** Two unit squares sharing the border y = 1: touching is allowed. */
    private static final String DISTRICTS = """
            {
              "type": "FeatureCollection",
              "features": [
                { "type": "Feature", "properties": { "code": "north", "name": "North" },
                  "geometry": { "type": "Polygon", "coordinates": [[[0, 1], [1, 1], [1, 2], [0, 2], [0, 1]]] } },
                { "type": "Feature", "properties": { "code": "south", "name": "South" },
                  "geometry": { "type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] } }
              ]
            }
            """;

    @Test
    void shouldLoadRulesInFileOrderAndDistrictsThatShareABorder() {
        Catalog catalog = load(CATALOG, DISTRICTS);

        assertThat(catalog.rules()).extracting(Catalog.Rule::kind).containsExactly("district", "attribute", "keyword");
        assertThat(catalog.rules(Catalog.Rule.KEYWORD).get(0).keywords()).containsExactly("pothole", "hole in the road");
        assertThat(catalog.districtMap()).extracting(Catalog.District::code).containsExactly("north", "south");
        assertThat(catalog.districtAt(1.5, 0.5)).get().extracting(Catalog.District::code).isEqualTo("north");
        assertThat(catalog.districtAt(5, 5)).isEmpty();
    }

    @Test
    void shouldLoadTheSampleCityDistrictsAroundNewYork() {
        Catalog catalog = SampleCatalogs.sampleCity();

        assertThat(catalog.districtMap()).extracting(Catalog.District::code)
                .contains("manhattan", "brooklyn", "queens", "bronx", "staten-island", "central-park");
        assertThat(catalog.districtAt(40.7128, -74.0060)).get().extracting(Catalog.District::code)
                .isEqualTo("manhattan");
        assertThat(catalog.districtAt(40.7829, -73.9654)).get().extracting(Catalog.District::code)
                .isEqualTo("central-park");
        assertThat(catalog.districtAt(40.6782, -73.9442)).get().extracting(Catalog.District::code)
                .isEqualTo("brooklyn");
        assertThat(catalog.districtAt(40.7282, -73.7949)).get().extracting(Catalog.District::code)
                .isEqualTo("queens");
        assertThat(catalog.districtAt(40.8448, -73.8648)).get().extracting(Catalog.District::code)
                .isEqualTo("bronx");
        assertThat(catalog.districtAt(40.5795, -74.1502)).get().extracting(Catalog.District::code)
                .isEqualTo("staten-island");
        assertThat(catalog.districtAt(40.7357, -74.1724)).as("Newark, across the Hudson").isEmpty();
    }

    @Test
    void shouldRefuseARuleOfAnUnknownDepartmentNamingItsLine() {
        String wrong = CATALOG.replace("    department: parks\n  - kind: attribute", "    department: park\n  - kind: attribute");

        assertThat(problems(wrong, DISTRICTS))
                .containsExactly("rule 1 (district, line " + lineOf(CATALOG, "- kind: district")
                        + "): unknown department 'park'");
    }

    @Test
    void shouldRefuseARuleNamingAnUnknownDistrict() {
        String wrong = CATALOG.replace("districts: [north]", "districts: [nort]");

        assertThat(problems(wrong, DISTRICTS))
                .containsExactly("rule 1 (district, line " + lineOf(CATALOG, "- kind: district")
                        + "): unknown district 'nort'");
    }

    @Test
    void shouldRefuseAnUnknownServiceAttributeOrValue() {
        String unknownValue = CATALOG.replace("values: [large]", "values: [huge]");
        String unknownAttribute = CATALOG.replace("attribute: size", "attribute: width");
        String freeTextAttribute = CATALOG.replace("attribute: size", "attribute: lane");
        String unknownService = CATALOG.replace("    service: pothole\n    districts", "    service: potholes\n    districts");
        int attributeRule = lineOf(CATALOG, "- kind: attribute");

        assertThat(problems(unknownValue, DISTRICTS)).containsExactly("rule 2 (attribute, line " + attributeRule
                + "): attribute 'size' of service 'pothole' has no value 'huge'");
        assertThat(problems(unknownAttribute, DISTRICTS)).containsExactly("rule 2 (attribute, line " + attributeRule
                + "): service 'pothole' has no attribute 'width'");
        assertThat(problems(freeTextAttribute, DISTRICTS)).containsExactly("rule 2 (attribute, line " + attributeRule
                + "): attribute 'lane' of service 'pothole' is not a list of values to choose from");
        assertThat(problems(unknownService, DISTRICTS)).containsExactly("rule 1 (district, line "
                + lineOf(CATALOG, "- kind: district") + "): unknown service 'potholes'");
    }

    @Test
    void shouldRefuseAKeywordRuleWithoutKeywordsOrForAnotherService() {
        String noKeywords = CATALOG.replace("keywords: [pothole, \"hole in the road\"]", "keywords: []");
        String otherService = CATALOG.replace("  - kind: keyword\n", "  - kind: keyword\n    service: pothole\n");
        int keywordRule = lineOf(CATALOG, "- kind: keyword");

        assertThat(problems(noKeywords, DISTRICTS))
                .containsExactly("rule 3 (keyword, line " + keywordRule + "): a keyword rule needs keywords");
        assertThat(problems(otherService, DISTRICTS)).containsExactly("rule 3 (keyword, line " + keywordRule
                + "): keyword rules route requests for service 'other' only, not 'pothole'");
    }

    @Test
    void shouldRefuseAnUnknownKindAndFieldsTheKindDoesNotRead() {
        String unknownKind = CATALOG.replace("kind: attribute", "kind: attributes");
        String strayField = CATALOG.replace("districts: [north]", "districts: [north]\n    keywords: [pothole]");

        assertThat(problems(unknownKind, DISTRICTS)).singleElement().asString()
                .startsWith("rule 2 (attributes, line " + lineOf(CATALOG, "- kind: attribute") + "): kind 'attributes'");
        assertThat(problems(strayField, DISTRICTS)).containsExactly("rule 1 (district, line "
                + lineOf(CATALOG, "- kind: district") + "): a district rule takes no 'keywords'");
    }

    @Test
    void shouldNameTheLineOfAMisspeltKeyInARule() {
        String wrong = CATALOG.replace("values: [large]", "valeus: [large]");

        assertThatThrownBy(() -> load(wrong, DISTRICTS))
                .isInstanceOf(InvalidCatalogException.class)
                .hasMessageContaining("valeus")
                .hasMessageContaining("line " + lineOf(CATALOG, "values: [large]"));
    }

    @Test
    void shouldRefuseOverlappingDistrictsNamingBoth() {
        String overlapping = DISTRICTS.replace("[[0, 1], [1, 1], [1, 2], [0, 2], [0, 1]]",
                "[[0, 0.5], [1, 0.5], [1, 2], [0, 2], [0, 0.5]]");

        assertThat(problems(CATALOG, overlapping)).containsExactly("districts file 'districts.geojson': districts"
                + " 'north' (feature 1 (line " + lineOf(DISTRICTS, "\"code\": \"north\"") + ")) and 'south' (feature 2"
                + " (line " + lineOf(DISTRICTS, "\"code\": \"south\"") + ")) overlap; districts may share a border but"
                + " not an area");
    }

    @Test
    void shouldRefuseADistrictInsideAnother() {
        String inside = DISTRICTS.replace("[[0, 1], [1, 1], [1, 2], [0, 2], [0, 1]]",
                "[[0.25, 0.25], [0.75, 0.25], [0.75, 0.75], [0.25, 0.75], [0.25, 0.25]]");

        assertThat(problems(CATALOG, inside)).singleElement().asString()
                .contains("'north'", "'south'", "overlap");
    }

    @Test
    void shouldRefuseAnOpenRingADuplicateCodeAndBadJsonNamingTheFileAndLine() {
        String openRing = DISTRICTS.replace("[1, 2], [0, 2], [0, 1]]", "[1, 2], [0, 2], [0, 1.5]]");
        String duplicate = DISTRICTS.replace("\"code\": \"south\"", "\"code\": \"north\"");
        String badJson = DISTRICTS.replace("\"code\": \"south\",", "\"code\": \"south\"");
        int north = lineOf(DISTRICTS, "\"code\": \"north\"");

        assertThat(problems(CATALOG, openRing)).containsExactly("districts file 'districts.geojson', feature 1 (line "
                + north + "): polygon ring 1 is not closed: its last position must repeat the first");
        assertThat(problems(CATALOG, duplicate)).first().asString()
                .startsWith("districts file 'districts.geojson', feature 2 (line " + lineOf(DISTRICTS, "\"code\": \"south\"")
                        + "): district 'north' is listed twice");
        assertThat(problems(CATALOG, badJson)).singleElement().asString()
                .startsWith("districts file 'districts.geojson': ")
                .contains("line " + lineOf(DISTRICTS, "\"code\": \"south\""));
    }

    @Test
    void shouldRefuseAMissingDistrictsFile() {
        assertThatThrownBy(() -> SampleCatalogs.load(CATALOG, Map.of()))
                .isInstanceOf(InvalidCatalogException.class)
                .extracting(ex -> ((InvalidCatalogException) ex).problems(), list(String.class))
                .contains("districts file 'districts.geojson': not found next to the catalog file");
    }

    @Test
    void shouldRefuseADistrictOutsideTheCityBounds() {
        String bounded = CATALOG.replace("timeZone: \"America/New_York\" }",
                "timeZone: \"America/New_York\", bounds: { south: 0, west: 0, north: 1.5, east: 1 } }");

        assertThat(problems(bounded, DISTRICTS)).singleElement().asString()
                .contains("district 'north' reaches outside the city's bounds");
    }

    @Test
    void shouldPublishANewHashWhenTheRulesChange() {
        Catalog sample = SampleCatalogs.sampleCity();
        Catalog withoutRules = sample.withRules(java.util.List.of());

        assertThat(CatalogPublication.hash(sample)).isEqualTo(CatalogPublication.hash(sample))
                .isNotEqualTo(CatalogPublication.hash(withoutRules));
    }

    private static Catalog load(String yaml, String districts) {
        return SampleCatalogs.load(yaml, Map.of("districts.geojson", districts));
    }

    private static java.util.List<String> problems(String yaml, String districts) {
        try {
            load(yaml, districts);
        }
        catch (InvalidCatalogException ex) {
            return ex.problems();
        }
        throw new AssertionError("the catalog was accepted");
    }
}
