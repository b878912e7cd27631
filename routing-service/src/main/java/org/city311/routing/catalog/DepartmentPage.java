package org.city311.routing.catalog;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * One department's page ({@code GET /api/catalog/departments/{code}}): the department, the services it handles
 * with their published standards, and the requests for other departments' services that rules send it.
 *
 * @param services the services whose requests it handles wherever they are: those it owns, unless a
 *        {@code service-code} rule reassigns them, and those such a rule gives it; in catalog order
 * @param alsoHandles the district and attribute rules that send it some requests for a service it does not
 *        handle otherwise (Parks gets litter baskets inside Central Park), in rule order
 */
record DepartmentPage(@JsonUnwrapped DepartmentView department, List<ServiceStandard> services,
        List<RoutedHere> alsoHandles) {

    /** A service as the page lists it: what it is and the department's published standard for it. */
    record ServiceStandard(String code, String name, String group, String description, String type,
            Catalog.Standard standard) {

        static ServiceStandard of(Catalog.Service service) {
            return new ServiceStandard(service.code(), service.name(), service.group(), service.description(),
                    service.type(), service.standard());
        }
    }

    /**
     * Some of a service's requests that a rule sends to this department: those located in {@code districts}
     * (kind {@code district}), or answering {@code attribute} with one of {@code values} (kind {@code attribute}).
     * The standard is the service's, counted on this department's calendar.
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record RoutedHere(String service, String serviceName, String kind, List<String> districts, String attribute,
            List<String> values, Catalog.Standard standard) {
    }

    static DepartmentPage of(Catalog catalog, Catalog.Department department, boolean staffing) {
        List<ServiceStandard> services = catalog.services().stream()
                .filter(service -> department.code().equals(catalog.handlingDepartment(service)))
                .map(ServiceStandard::of)
                .toList();
        List<RoutedHere> alsoHandles = new ArrayList<>();
        for (Catalog.Rule rule : catalog.rules()) {
            boolean partial = Catalog.Rule.DISTRICT.equals(rule.kind()) || Catalog.Rule.ATTRIBUTE.equals(rule.kind());
            if (!partial || !department.code().equals(rule.department())) {
                continue;
            }
            catalog.service(rule.service())
                    .filter(service -> !department.code().equals(catalog.handlingDepartment(service)))
                    .ifPresent(service -> alsoHandles.add(new RoutedHere(service.code(), service.name(),
                            rule.kind(), rule.districts(), rule.attribute(), rule.values(), service.standard())));
        }
        return new DepartmentPage(DepartmentView.of(department, staffing), services, alsoHandles);
    }
}
