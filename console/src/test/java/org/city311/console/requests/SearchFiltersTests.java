package org.city311.console.requests;

import java.time.ZoneId;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SearchFiltersTests {

    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Test
    void shouldAskForTheStatusesAGroupStandsFor() {
        assertThat(SearchFilters.upstream(Map.of("status", "open"), NEW_YORK))
                .containsEntry("status", "submitted,routed,in_progress,on_hold,reopened");
        assertThat(SearchFilters.upstream(Map.of("status", "done"), NEW_YORK))
                .containsEntry("status", "resolved,closed");
        // one status, or one the console does not know, is request-service's to judge
        assertThat(SearchFilters.upstream(Map.of("status", "on_hold"), NEW_YORK)).containsEntry("status", "on_hold");
    }

    @Test
    void shouldSearchWholeDaysOfTheCitysCalendar() {
        // filed from the 23rd to the 24th of November, both days whole, in New York's time
        Map<String, String> sent = SearchFilters.upstream(Map.of("from", "2026-11-23", "to", "2026-11-24", "q",
                "pothole"), NEW_YORK);

        assertThat(sent).containsEntry("from", "2026-11-23T05:00:00Z").containsEntry("to", "2026-11-25T05:00:00Z")
                .containsEntry("q", "pothole");
        // a time already given, or anything else, goes as it is
        assertThat(SearchFilters.upstream(Map.of("from", "2026-11-23T00:00:00Z"), NEW_YORK))
                .containsEntry("from", "2026-11-23T00:00:00Z");
    }
}
