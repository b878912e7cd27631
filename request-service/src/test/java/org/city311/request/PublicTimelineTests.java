package org.city311.request;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import org.city311.request.catalog.CatalogSnapshot;

import static org.assertj.core.api.Assertions.assertThat;

class PublicTimelineTests {

    static final Optional<CatalogSnapshot> CATALOG = Optional.of(new CatalogSnapshot("v1", "h", Instant.EPOCH, null,
            List.of(new CatalogSnapshot.Department("transportation", "Department of Transportation"),
                    new CatalogSnapshot.Department("parks", "Parks Department")), List.of()));

    @Test
    void shouldNameTheDepartmentARequestWasSentToWithoutTheRoutingRule() {
        // given the note request-service keeps for staff when routing-service routes a request
        String staffWords = "Routed to transportation (rule: service-owner)";

        // when the public reads it
        String publicWords = PublicTimeline.publicWords(staffWords, CATALOG);

        // then it names the department by its name, and no rule
        assertThat(publicWords).isEqualTo("Sent to Department of Transportation");
    }

    @Test
    void shouldDropEveryKindOfRuleAndKeepALinkedDuplicatesPrefix() {
        assertThat(PublicTimeline.publicWords("Routed to parks (rule: attribute:noise-type=construction)", CATALOG))
                .isEqualTo("Sent to Parks Department");
        assertThat(PublicTimeline.publicWords("Routed to parks (rule: district:central-park)", CATALOG))
                .isEqualTo("Sent to Parks Department");
        assertThat(PublicTimeline.publicWords("Follows 311-00000042: Routed to transportation (rule: keyword:rats)",
                CATALOG)).isEqualTo("Follows 311-00000042: Sent to Department of Transportation");
        // a department the catalog does not know keeps its code, still without the rule
        assertThat(PublicTimeline.publicWords("Routed to triage (rule: fallback-triage)", CATALOG))
                .isEqualTo("Sent to triage");
    }

    @Test
    void shouldNameTheDepartmentsOfATransferAndSayAResolutionCodeInWords() {
        assertThat(PublicTimeline.publicWords("Transferred from transportation to parks: it is in the park", CATALOG))
                .isEqualTo("Passed from Department of Transportation to Parks Department: it is in the park");
        assertThat(PublicTimeline.publicWords("Transferred from transportation to parks", CATALOG))
                .isEqualTo("Passed from Department of Transportation to Parks Department");
        assertThat(PublicTimeline.publicWords("Resolved (no_action_needed)", CATALOG))
                .isEqualTo("Resolved: no action needed");
        // a resolution's own note is the department's words to the resident: kept as written
        assertThat(PublicTimeline.publicWords("Lamp replaced.", CATALOG)).isEqualTo("Lamp replaced.");
        assertThat(PublicTimeline.publicWords(null, CATALOG)).isNull();
    }
}
