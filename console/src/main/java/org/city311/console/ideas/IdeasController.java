package org.city311.console.ideas;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import reactor.core.publisher.Mono;

import org.city311.console.signin.SignedIn;
import org.city311.console.signin.StaffRole;
import org.city311.console.upstream.Catalog;
import org.city311.console.upstream.Ideas;
import org.city311.console.upstream.Upstream;
import org.city311.console.upstream.UpstreamProblem;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

/**
 * Staff ideas: anyone submits one for a department (and a service), follows each step of its review, and sees the
 * ideas put into practice with their authors; a department's supervisors review theirs. Opening the page tells
 * feedback-service the author has seen what moved.
 */
@Controller
class IdeasController {

    private static final Pattern ID = Pattern.compile("[0-9a-f-]{36}");

    private final Upstream.AsUser services;
    private final Ideas ideas;
    private final Catalog catalog;

    IdeasController(Upstream.AsUser services, Ideas ideas, Catalog catalog) {
        this.services = services;
        this.ideas = ideas;
        this.catalog = catalog;
    }

    @GetMapping("/ideas")
    Mono<String> page(@AuthenticationPrincipal OidcUser user,
            @org.springframework.web.bind.annotation.RequestParam(required = false) String submitted, Model model) {
        model.addAttribute("submitted", submitted != null);
        return page(SignedIn.of(user), model, Map.of(), null);
    }

    @PostMapping("/ideas")
    Mono<String> submit(@AuthenticationPrincipal OidcUser user, ServerWebExchange exchange, Model model) {
        return exchange.getFormData().flatMap(form -> {
            Map<String, Object> idea = new LinkedHashMap<>();
            idea.put("title", form.getFirst("title"));
            idea.put("change", form.getFirst("change"));
            idea.put("department", form.getFirst("department"));
            String service = form.getFirst("serviceCode");
            if (service != null && !service.isBlank()) {
                idea.put("serviceCode", service);
            }
            return ideas.submit(services.feedback(), idea).thenReturn("redirect:/ideas?submitted=1")
                    // a refusal shows on the form, with what was typed
                    .onErrorResume(WebClientResponseException.class, refused -> {
                        model.addAttribute("submitted", false);
                        return page(SignedIn.of(user), model, form.toSingleValueMap(), UpstreamProblem.of(refused));
                    });
        });
    }

    @PostMapping("/ideas/{id}/review")
    Mono<String> review(@PathVariable String id, ServerWebExchange exchange) {
        if (!ID.matcher(id).matches()) {
            throw new ResponseStatusException(org.springframework.http.HttpStatus.NOT_FOUND, "No idea '" + id + "'.");
        }
        return exchange.getFormData().flatMap(form -> {
            Map<String, Object> review = new LinkedHashMap<>();
            review.put("status", form.getFirst("status"));
            review.put("note", form.getFirst("note"));
            String version = form.getFirst("version");
            if (version != null && version.matches("\\d{1,9}")) {
                review.put("version", Long.parseLong(version));
            }
            return ideas.review(services.feedback(), id, review);
        }).thenReturn("redirect:/ideas#review");
    }

    private Mono<String> page(SignedIn me, Model model, Map<String, String> typed, UpstreamProblem problem) {
        Mono<List<Ideas.Idea>> mine = ideas.list(services.feedback(), "mine", null);
        Mono<Optional<List<Ideas.Idea>>> department = me.has(StaffRole.SUPERVISOR) && me.department() != null
                ? ideas.list(services.feedback(), "department", me.department()).map(Optional::of)
                        .onErrorResume(Upstream::unavailable, refused -> Mono.just(Optional.empty()))
                : Mono.just(Optional.empty());
        Mono<List<Ideas.Idea>> recognised = ideas.list(services.feedback(), "recognised", null);
        Mono<List<Catalog.Department>> departments = catalog.departments(services.routing());
        Mono<List<Catalog.Service>> catalogServices = catalog.services(services.routing());
        return Mono.zip(mine, department, recognised, departments, catalogServices).flatMap(found -> {
            Map<String, String> names = new LinkedHashMap<>();
            found.getT4().forEach(one -> names.put(one.code(), one.name()));
            model.addAttribute("mine", found.getT1());
            model.addAttribute("review", found.getT2().orElse(null));
            model.addAttribute("recognised", found.getT3());
            model.addAttribute("departments", found.getT4());
            model.addAttribute("departmentNames", names);
            model.addAttribute("catalogServices", found.getT5());
            model.addAttribute("typed", typed);
            model.addAttribute("problem", problem);
            // what moved is shown as news this once
            boolean news = found.getT1().stream().anyMatch(Ideas.Idea::hasNews);
            return (news ? ideas.seen(services.feedback()).onErrorResume(Upstream::unavailable,
                    unavailable -> Mono.empty()) : Mono.<Void>empty()).thenReturn("ideas");
        });
    }
}
