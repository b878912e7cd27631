package org.city311.routing.catalog;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.city311.platform.web.Problems;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The catalog as its administrators edit it: {@code GET /api/catalog} gives the text in force, {@code PUT} puts a
 * new one in force if it has no problem. The {@code ETag} is the catalog's content hash (the {@code hash} of its
 * {@code city311.catalog} event); sending it back as {@code If-Match} makes a {@code PUT} fail with 412 if someone
 * put another catalog in force since.
 */
@RestController
class CatalogAdminController {

    static final String CATALOG_VERSION = "X-Catalog-Version";
    static final int MAX_BYTES = 1024 * 1024;

    private final ServiceCatalog catalog;
    private final CatalogAdministration administration;

    CatalogAdminController(ServiceCatalog catalog, CatalogAdministration administration) {
        this.catalog = catalog;
        this.administration = administration;
    }

    @GetMapping(path = "/api/catalog", produces = { "application/yaml", "text/yaml", "application/x-yaml" })
    ResponseEntity<String> get() {
        ServiceCatalog.InForce inForce = catalog.inForce();
        return ResponseEntity.ok().eTag(inForce.hash())
                .header(CATALOG_VERSION, inForce.catalog().catalogVersion())
                .body(inForce.source());
    }

    @PutMapping(path = "/api/catalog", consumes = { "application/yaml", "text/yaml", "application/x-yaml" },
            produces = "application/json")
    Mono<ResponseEntity<CatalogAdministration.Replaced>> put(ServerHttpRequest request,
            @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        if (request.getHeaders().getContentLength() > MAX_BYTES) {
            return Mono.error(tooLarge());
        }
        String expectedHash = hash(ifMatch);
        return DataBufferUtils.join(request.getBody(), MAX_BYTES)
                .map(CatalogAdminController::bytes)
                .defaultIfEmpty(new byte[0])
                .onErrorMap(DataBufferLimitException.class, tooBig -> tooLarge())
                .publishOn(Schedulers.boundedElastic())
                .map(yaml -> administration.replace(yaml, expectedHash))
                .onErrorMap(InvalidCatalogException.class, CatalogAdminController::invalid)
                .onErrorMap(CatalogAdministration.ChangedMeanwhileException.class, changed -> Problems.of(
                        HttpStatus.PRECONDITION_FAILED, "Changed meanwhile", changed.getMessage()))
                .map(replaced -> ResponseEntity.ok().eTag(replaced.hash())
                        .header(CATALOG_VERSION, replaced.catalogVersion()).body(replaced));
    }

    private static byte[] bytes(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        }
        finally {
            DataBufferUtils.release(buffer);
        }
    }

    /** Every problem of the catalog, each with its line where one can be told; the catalog in force stays. */
    private static ErrorResponseException invalid(InvalidCatalogException ex) {
        ErrorResponseException problem = Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid catalog",
                (ex.problems().size() == 1 ? "The catalog has a problem" : "The catalog has " + ex.problems().size()
                        + " problems") + "; the catalog in force is unchanged.");
        problem.getBody().setProperty("errors",
                ex.problems().stream().map(text -> new Problems.FieldProblem("catalog", text)).toList());
        return problem;
    }

    private static ErrorResponseException tooLarge() {
        return Problems.of(HttpStatus.CONTENT_TOO_LARGE, "Catalog too large",
                "A catalog may have at most " + MAX_BYTES + " bytes (1 MB).");
    }

    /** The hash an {@code If-Match} names ({@code "ab12..."}, with or without quotes); none for absent or {@code *}. */
    private static String hash(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
            return null;
        }
        return ifMatch.strip().replaceFirst("^W/", "").replace("\"", "");
    }
}
