package org.city311.routing.directory;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

import org.city311.platform.web.Problems;
import org.city311.routing.catalog.Catalog;
import org.city311.routing.catalog.SampleCatalogs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Staff find the service and the department from a resident's own words. */
class DirectorySearchTests {

    private final DirectorySearch search = new DirectorySearch(SampleCatalogs::sampleCity);
    private final DirectoryController controller = new DirectoryController(search);

    @ParameterizedTest(name = "\"{0}\" finds {1} ({2}) first")
    @CsvSource({
            "rats, rodents, health",
            "Rat, rodents, health",
            "no heat, heat-hot-water, housing",
            "NO HEAT!!, heat-hot-water, housing",
            "pothole, pothole, transportation",
            "potholes, pothole, transportation",
            "street light, streetlight-out, transportation",
            "my neighbor is playing loud music, noise-residential, police",
            "fallen tree, tree-damaged, parks",
            "graffiti, graffiti, sanitation"
    })
    void shouldRankTheServiceAResidentMeansFirst(String words, String service, String department) {
        List<DirectoryEntry> found = search.search(words, 10);

        assertThat(found).isNotEmpty();
        assertThat(found.get(0).serviceCode()).isEqualTo(service);
        assertThat(found.get(0).department()).isEqualTo(department);
    }

    @Test
    void shouldNameTheDepartmentAndWhatMatched() {
        DirectoryEntry first = search.search("rats", 10).get(0);

        assertThat(first).isEqualTo(new DirectoryEntry("rodents", "Rodents", "health",
                "Department of Health and Mental Hygiene", "Health", first.score(), "keyword:rats"));
    }

    @Test
    void shouldRankKeywordsAboveNameWordsAboveDescriptionWords() {
        List<DirectoryEntry> found = search.search("pothole", 10);

        assertThat(found).extracting(DirectoryEntry::serviceCode).startsWith("pothole").contains("street-condition");
        DirectoryEntry pothole = found.get(0);
        DirectoryEntry streetCondition = found.stream().filter(e -> e.serviceCode().equals("street-condition"))
                .findFirst().orElseThrow();
        assertThat(pothole.score()).isGreaterThan(streetCondition.score());
        assertThat(streetCondition.matchedOn()).as("'(not a pothole)' in its description").isEqualTo("description");

        List<DirectoryEntry> water = search.search("water", 50);
        assertThat(water).extracting(DirectoryEntry::matchedOn).first().isEqualTo("name");
        assertThat(water).isSortedAccordingTo((a, b) -> Double.compare(b.score(), a.score()));
    }

    @Test
    void shouldKeepToTheLimitAndFindNothingForUnknownWords() {
        assertThat(search.search("water", 3)).hasSize(3);
        assertThat(search.search("xylophone", 10)).isEmpty();
        assertThat(search.search("?!", 10)).isEmpty();
    }

    @Test
    void shouldShowTheDepartmentAServiceCodeRuleReassignedTheServiceTo() {
        List<Catalog.Rule> rules = new ArrayList<>(SampleCatalogs.sampleCity().rules());
        rules.add(new Catalog.Rule("service-code", "rodents", "housing", null, null, null, null));
        Catalog reassigned = SampleCatalogs.sampleCity().withRules(rules);

        DirectoryEntry first = new DirectorySearch(() -> reassigned).search("rats", 10).get(0);

        assertThat(first.serviceCode()).isEqualTo("rodents");
        assertThat(first.department()).isEqualTo("housing");
    }

    @Test
    void shouldAnswerWithTenEntriesByDefault() {
        assertThat(controller.search("street", null)).hasSize(10);
        assertThat(controller.search("street", 50)).hasSizeGreaterThan(10);
    }

    @Test
    void shouldRefuseAMissingBlankOrTooLongQueryAndABadLimit() {
        assertBadRequest(() -> controller.search(null, null), "q");
        assertBadRequest(() -> controller.search("   ", null), "q");
        assertBadRequest(() -> controller.search("x".repeat(101), null), "q");
        assertBadRequest(() -> controller.search("rats", 0), "limit");
        assertBadRequest(() -> controller.search("rats", 51), "limit");
        assertThat(controller.search("x".repeat(100), 50)).isEmpty();
    }

    private static void assertBadRequest(Runnable call, String field) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(ErrorResponseException.class, ex -> {
                    assertThat(ex.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
                    assertThat(ex.getBody().getProperties()).extractingByKey("errors")
                            .asList()
                            .singleElement()
                            .extracting(error -> ((Problems.FieldProblem) error).field())
                            .isEqualTo(field);
                });
    }
}
