package org.city311.routing.catalog;

import java.time.Duration;
import java.util.List;

import org.city311.platform.security.Caller;
import org.city311.platform.security.Role;
import org.city311.platform.web.Problems;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Read access to who does what: for staff tools, Open311, the departments' own systems and the console's public
 * pages. Everything is read from the catalog in force, in memory: no store round trip.
 */
@RestController
class CatalogController {

    static final MediaType GEO_JSON = MediaType.parseMediaType("application/geo+json");
    /** The districts change only with the catalog: a client keeps them this long, then asks with its ETag. */
    static final Duration DISTRICTS_MAX_AGE = Duration.ofMinutes(5);

    private final ServiceCatalog catalog;
    private final DistrictsGeoJson districts;

    CatalogController(ServiceCatalog catalog, DistrictsGeoJson districts) {
        this.catalog = catalog;
        this.districts = districts;
    }

    @GetMapping("/api/catalog/services")
    List<Catalog.Service> services() {
        return catalog.current().services();
    }

    @GetMapping("/api/catalog/departments")
    List<DepartmentView> departments(Caller caller) {
        boolean staffing = staffing(caller);
        return catalog.current().departments().stream()
                .map(department -> DepartmentView.of(department, staffing))
                .toList();
    }

    @GetMapping("/api/catalog/departments/{code}")
    DepartmentPage department(@PathVariable String code, Caller caller) {
        Catalog current = catalog.current();
        Catalog.Department department = current.department(code).orElseThrow(() -> Problems.notFound(
                "The catalog has no department '" + code + "'; GET /api/catalog/departments lists them."));
        return DepartmentPage.of(current, department, staffing(caller));
    }

    /**
     * {@code application/geo+json}; answers 304 to an {@code If-None-Match} naming its {@code ETag} (the hash of
     * the body, which changes only when the catalog in force does).
     */
    @GetMapping("/api/catalog/districts")
    ResponseEntity<byte[]> districts() {
        DistrictsGeoJson.Written written = districts.current();
        return ResponseEntity.ok()
                .contentType(GEO_JSON)
                .eTag(written.etag())
                .cacheControl(CacheControl.maxAge(DISTRICTS_MAX_AGE))
                .header(CatalogAdminController.CATALOG_VERSION, written.from().catalog().catalogVersion())
                .body(written.body());
    }

    /** How departments assign their work, and to whom, is for the city's people, not for public pages. */
    private static boolean staffing(Caller caller) {
        return caller.hasAny(Role.PEOPLE);
    }
}
