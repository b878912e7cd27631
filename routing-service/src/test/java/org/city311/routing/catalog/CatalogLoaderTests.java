package org.city311.routing.catalog;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.list;

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
                .containsExactly("service 'pothole': unknown department 'transport'");
    }

    @Test
    void shouldRefuseDuplicateCodesAndAMissingTriageDesk() {
        String wrong = VALID.replace("code: triage", "code: transportation");

        assertThatThrownBy(() -> loader.load(stream(wrong)))
                .isInstanceOf(InvalidCatalogException.class)
                .extracting(ex -> ((InvalidCatalogException) ex).problems(), list(String.class))
                .contains("department 'transportation' is listed twice",
                        "no 'triage' department: requests that no rule matches need one");
    }

    @Test
    void shouldNameTheLineOfAMisspeltKeyLeavingARequiredValueOut() {
        String wrong = VALID.replace("pauseOnHold: true", "pauseOnHolt: true");

        assertThatThrownBy(() -> loader.load(stream(wrong)))
                .isInstanceOf(InvalidCatalogException.class)
                .hasMessageContaining("line 14");
    }

    private static ByteArrayInputStream stream(String yaml) {
        return new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8));
    }
}
