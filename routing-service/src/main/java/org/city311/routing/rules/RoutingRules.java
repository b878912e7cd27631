package org.city311.routing.rules;

import org.city311.routing.catalog.Catalog;
import org.city311.routing.catalog.ServiceCatalog;
import org.springframework.stereotype.Component;

/**
 * Picks the department for a new request. Rules are tried in order: the service's owning department, then the
 * triage desk, whose agents route by hand.
 */
@Component
public class RoutingRules {

    private final ServiceCatalog catalog;

    RoutingRules(ServiceCatalog catalog) {
        this.catalog = catalog;
    }

    public RoutingDecision route(String serviceCode) {
        return catalog.current().service(serviceCode)
                .map(service -> new RoutingDecision(service.department(), RoutingDecision.BY_SERVICE_CODE))
                .orElseGet(() -> new RoutingDecision(Catalog.TRIAGE, RoutingDecision.FALLBACK));
    }
}
