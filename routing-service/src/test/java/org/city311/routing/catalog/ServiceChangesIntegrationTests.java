package org.city311.routing.catalog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.city311.platform.test.ServiceIntegrationTest;
import org.city311.platform.test.TestClock;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** When each service last changed for staff, kept across catalog versions on the real store. */
@ServiceIntegrationTest
class ServiceChangesIntegrationTests {

    @Autowired
    ServiceChanges changes;

    @Autowired
    ServiceCatalog catalog;

    @Autowired
    TestClock clock;

    @Test
    void shouldMoveTheTimeOfAServiceOnlyWhenWhatStaffKnowOfItChanges() {
        Catalog current = catalog.current();
        Map<String, Instant> atStart = changes.changedAt().block();
        // every service of the catalog in force was recorded at start
        assertThat(atStart.keySet()).containsExactlyInAnyOrderElementsOf(
                current.services().stream().map(Catalog.Service::code).toList());

        // when a catalog rewords one service and a rule moves another to parks, and the catalog's version moves
        List<Catalog.Service> services = new ArrayList<>();
        for (Catalog.Service service : current.services()) {
            services.add(!service.code().equals("pothole") ? service : new Catalog.Service(service.code(),
                    service.name(), service.group(), service.keywords(), "A hole in the road surface.",
                    service.department(), service.type(), service.standard(), service.attributes()));
        }
        List<Catalog.Rule> rules = new ArrayList<>(current.rules());
        rules.add(0, new Catalog.Rule(Catalog.Rule.SERVICE_CODE, "graffiti", "parks", null, null, null, null));
        Catalog next = new Catalog(current.catalogVersion() + "-next", current.city(), current.departments(),
                services, current.districts(), rules, current.districtMap());
        Instant before = clock.instant();

        // then those two, and only those, changed now; recording the same again changes nothing
        assertThat(changes.record(next)).containsExactlyInAnyOrder("pothole", "graffiti");
        Map<String, Instant> after = changes.changedAt().block();
        assertThat(after.get("pothole")).isAfterOrEqualTo(before.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertThat(after.get("graffiti")).isEqualTo(after.get("pothole"));
        assertThat(after.get("noise-street")).isEqualTo(atStart.get("noise-street"));
        assertThat(changes.record(next)).isEmpty();

        // and going back is a change too (staff who learnt the new wording must learn the old again)
        assertThat(changes.record(current)).containsExactlyInAnyOrder("pothole", "graffiti");
    }
}
