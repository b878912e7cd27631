package org.city311.routing.catalog;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Read access to who does what: for staff tools, Open311 and the departments' own systems. */
@RestController
class CatalogController {

    private final ServiceCatalog catalog;

    CatalogController(ServiceCatalog catalog) {
        this.catalog = catalog;
    }

    @GetMapping("/api/catalog/services")
    List<Catalog.Service> services() {
        return catalog.current().services();
    }

    @GetMapping("/api/catalog/departments")
    List<Catalog.Department> departments() {
        return catalog.current().departments();
    }
}
