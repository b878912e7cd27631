package org.city311.console.admin;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import reactor.core.publisher.Mono;

import org.city311.console.signin.SignedIn;
import org.city311.console.upstream.Catalog;
import org.city311.console.upstream.Levels;
import org.city311.console.upstream.UpstreamProblem;
import org.city311.console.upstream.Upstream;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.reactive.function.client.WebClientException;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

/**
 * Administration: the catalog edited as YAML against the version it was read at (a change someone else saved in
 * between is refused, not overwritten), its errors listed with their lines; Open311 keys issued and revoked.
 */
@Controller
class AdminController {

    private static final MediaType YAML = MediaType.parseMediaType("application/yaml");
    private static final Pattern LINE = Pattern.compile("line (\\d+)", Pattern.CASE_INSENSITIVE);

    record Client(String id, String name, Instant createdAt, Instant revokedAt, boolean trustedIntegration) {
    }

    record Issued(String id, String name, String apiKey, Instant createdAt, boolean trustedIntegration) {
    }

    /** A catalog problem, with the line it names (0 when it names none). */
    record CatalogError(int line, String message) {
    }

    private final Upstream.AsUser services;
    private final Levels levels;
    private final Catalog catalog;

    AdminController(Upstream.AsUser services, Levels levels, Catalog catalog) {
        this.services = services;
        this.levels = levels;
        this.catalog = catalog;
    }

    @GetMapping("/admin")
    Mono<String> page(@AuthenticationPrincipal OidcUser user, Model model) {
        requireAdmin(user);
        // (the catalog and the keys are this page's work: without metrics-service it still opens, and says so)
        Mono<Optional<Levels.Runaround>> runaround = levels.runaround(services.metrics()).map(Optional::of)
                .onErrorResume(WebClientException.class, unavailable -> Mono.just(Optional.empty()));
        return Mono.zip(catalog(), clients(), runaround).map(found -> {
            model.addAttribute("yaml", found.getT1().getBody());
            model.addAttribute("catalogEtag", found.getT1().getHeaders().getETag());
            model.addAttribute("clients", found.getT2());
            model.addAttribute("runaround", found.getT3().orElse(null));
            model.addAttribute("catalogErrors", List.of());
            return "admin";
        });
    }

    @PostMapping("/admin/catalog")
    Mono<String> saveCatalog(@AuthenticationPrincipal OidcUser user, ServerWebExchange exchange, Model model) {
        requireAdmin(user);
        return exchange.getFormData().flatMap(form -> services.routing().put().uri("/api/catalog")
                .contentType(YAML).header("If-Match", form.getFirst("etag"))
                .bodyValue(String.valueOf(form.getFirst("yaml"))).retrieve().toBodilessEntity()
                .map(saved -> {
                    catalog.changed();
                    model.addAttribute("saved", "Saved: the new catalog is in force.");
                    model.addAttribute("catalogErrors", List.of());
                    model.addAttribute("catalogEtag", saved.getHeaders().getETag());
                    return "admin :: catalog-result";
                })
                .onErrorResume(WebClientResponseException.class, refused -> {
                    UpstreamProblem problem = UpstreamProblem.of(refused);
                    exchange.getResponse().setStatusCode(HttpStatus.valueOf(problem.status()));
                    model.addAttribute("problem", problem);
                    model.addAttribute("catalogErrors", problem.fieldErrors().stream()
                            .map(error -> lineOf(error.message())).toList());
                    model.addAttribute("catalogEtag", form.getFirst("etag"));
                    return Mono.just("admin :: catalog-result");
                }));
    }

    @PostMapping("/admin/clients")
    Mono<String> issue(@AuthenticationPrincipal OidcUser user, ServerWebExchange exchange, Model model) {
        requireAdmin(user);
        return exchange.getFormData().flatMap(form -> services.request().post().uri("/api/open311/clients")
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("name", String.valueOf(form.getFirst("name")).strip(),
                                "trustedIntegration", "yes".equals(form.getFirst("trustedIntegration"))))
                        .retrieve().bodyToMono(Issued.class))
                .flatMap(issued -> clients().map(all -> {
                    model.addAttribute("issued", issued);
                    model.addAttribute("clients", all);
                    // the list with the key, and the form again, empty: the next key is not issued under this name
                    return "admin :: issued";
                }));
    }

    @PostMapping("/admin/clients/{id}/revoke")
    Mono<String> revoke(@AuthenticationPrincipal OidcUser user, @PathVariable String id, Model model) {
        requireAdmin(user);
        return services.request().delete().uri("/api/open311/clients/{id}", id).retrieve().toBodilessEntity()
                .then(clients()).map(all -> {
                    model.addAttribute("clients", all);
                    return "admin :: clients";
                });
    }

    static CatalogError lineOf(String message) {
        Matcher line = LINE.matcher(message == null ? "" : message);
        return new CatalogError(line.find() ? Integer.parseInt(line.group(1)) : 0, message);
    }

    private Mono<org.springframework.http.ResponseEntity<String>> catalog() {
        return services.routing().get().uri("/api/catalog").accept(YAML).retrieve().toEntity(String.class);
    }

    private Mono<List<Client>> clients() {
        return services.request().get().uri("/api/open311/clients").retrieve()
                .bodyToMono(new ParameterizedTypeReference<List<Client>>() {
                });
    }

    private static void requireAdmin(OidcUser user) {
        if (!SignedIn.of(user).administers()) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "Administration is for administrators.");
        }
    }
}
