package org.city311.console.followups;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.city311.console.signin.SignedIn;
import org.city311.console.signin.StaffRole;
import org.city311.console.upstream.Catalog;
import org.city311.console.upstream.Surveys;
import org.city311.console.upstream.Upstream;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.function.client.WebClientException;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import org.springframework.web.server.ServerWebExchange;

/**
 * Follow-ups of negative feedback: a department's, with their due dates, acknowledged and closed with a root cause
 * and what was done about it.
 */
@Controller
class FollowUpsController {

    private final Upstream.AsUser services;
    private final Surveys surveys;
    private final Catalog catalog;

    FollowUpsController(Upstream.AsUser services, Surveys surveys, Catalog catalog) {
        this.services = services;
        this.surveys = surveys;
        this.catalog = catalog;
    }

    @GetMapping("/follow-ups")
    Mono<String> page(@AuthenticationPrincipal OidcUser user, @RequestParam(required = false) String department,
            Model model) {
        SignedIn me = SignedIn.of(user);
        String chosen = me.department() != null ? me.department() : department;
        model.addAttribute("department", chosen);
        // (a follow-up belongs to a department: nobody of none, like a call-taker, has any to list)
        Mono<List<Surveys.FollowUp>> followUps = chosen == null ? Mono.just(List.of())
                : surveys.followUps(services.feedback(), chosen)
                        .onErrorResume(WebClientResponseException.Forbidden.class, refused -> Mono.just(List.of()));
        // Coworkers are customers too: the surveys of the internal requests this person (or their department) made.
        Mono<Surveys.Mine> mine = surveys.mine(services.feedback())
                .onErrorResume(WebClientResponseException.class, refused -> Mono.just(new Surveys.Mine(List.of(), null)));
        // auditors belong to no department and read every department's: they pick one
        Mono<List<Catalog.Department>> departments = me.department() == null && me.has(StaffRole.AUDITOR)
                ? catalog.departments(services.routing()).onErrorResume(WebClientException.class,
                        unavailable -> Mono.just(List.of()))
                : Mono.just(List.of());
        return Mono.zip(followUps, mine, departments).map(found -> {
            model.addAttribute("followUps", found.getT1());
            model.addAttribute("departments", found.getT3());
            // (the department's own people act on them; auditors read)
            model.addAttribute("worksFollowUps", me.has(StaffRole.AGENT, StaffRole.SUPERVISOR));
            model.addAttribute("internalSurveys", found.getT2().surveys());
            return "follow-ups";
        });
    }

    @PostMapping("/follow-ups/{id}/{action}")
    Mono<String> act(@PathVariable String id, @PathVariable String action, ServerWebExchange exchange) {
        return exchange.getFormData().flatMap(form -> {
            Map<String, Object> body = new LinkedHashMap<>();
            if ("close".equals(action)) {
                body.put("rootCause", form.getFirst("rootCause"));
                body.put("action", form.getFirst("action"));
            }
            return surveys.followUpAction(services.feedback(), id, "close".equals(action) ? "close" : "acknowledge",
                    body);
        }).thenReturn("redirect:/follow-ups");
    }
}
