package org.city311.console.queue;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import reactor.core.publisher.Mono;

import org.city311.console.signin.SignedIn;
import org.city311.console.upstream.Catalog;
import org.city311.console.upstream.UpstreamProblem;
import org.city311.console.upstream.Upstream;
import org.city311.console.upstream.Work;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

/**
 * A department's queue, most urgent first: what is overdue, due soon or waiting for its first action stands out;
 * mine, unassigned and on hold a click (or a key) away. Every action carries the version the person saw, so a
 * change someone else made in between is reported ("changed by someone else, reload") instead of overwritten.
 * The list asks routing-service every 15 seconds whether anything changed (a 304 when not) and redraws only then.
 */
@Controller
class QueueController {

    static final List<String> VIEWS = List.of("all", "mine", "unassigned", "on-hold", "overdue");
    static final Set<String> ACTIONS = Set.of("accept", "update", "hold", "resume", "transfer", "resolve", "reopen",
            "assign");

    private final Upstream.AsUser services;
    private final Work work;
    private final Catalog catalog;
    private final Clock clock;

    QueueController(Upstream.AsUser services, Work work, Catalog catalog, Clock clock) {
        this.services = services;
        this.work = work;
        this.catalog = catalog;
        this.clock = clock;
    }

    @GetMapping("/queue")
    Mono<String> page(@AuthenticationPrincipal OidcUser user, @RequestParam(required = false) String department,
            @RequestParam(defaultValue = "all") String view, @RequestParam(required = false) String after,
            Model model) {
        SignedIn me = SignedIn.of(user);
        return catalog.departments(services.routing()).flatMap(departments -> {
            model.addAttribute("departments", departments);
            String chosen = me.department() != null ? me.department() : department;
            if (chosen == null) {
                if (!me.worksQueues()) {
                    return Mono.error(new ResponseStatusException(HttpStatus.FORBIDDEN,
                            "Department queues are for their agents and supervisors, auditors and administrators."));
                }
                model.addAttribute("department", null);
                return Mono.just("queue");
            }
            return items(chosen, view, after, null, model).thenReturn("queue");
        });
    }

    /** The list alone: redrawn when it changed (204, nothing to redraw, when routing-service says it did not). */
    @GetMapping("/queue/items")
    Mono<String> list(@RequestParam String department, @RequestParam(defaultValue = "all") String view,
            @RequestParam(required = false) String after, @RequestParam(required = false) String etag,
            ServerWebExchange exchange, Model model) {
        return items(department, view, after, etag, model).map(unchanged -> {
            if (unchanged) {
                exchange.getResponse().setStatusCode(HttpStatus.NO_CONTENT);
            }
            return "queue :: items";
        });
    }

    private Mono<Boolean> items(String department, String view, String given, String etag, Model model) {
        String chosenView = VIEWS.contains(view) ? view : "all";
        String after = given == null || given.isBlank() ? null : given;
        model.addAttribute("department", department);
        model.addAttribute("view", chosenView);
        model.addAttribute("views", VIEWS);
        model.addAttribute("now", clock.instant());
        // (the page it shows: the refresh every 15 s redraws this page, not the first)
        model.addAttribute("after", after);
        return work.queue(services.routing(), department, chosenView, after, etag).map(page -> {
            model.addAttribute("page", page);
            // the agents working this queue, offered when a supervisor assigns (any sign-in name may be typed)
            model.addAttribute("agents", page.items().stream().map(Work.Item::agent)
                    .filter(java.util.Objects::nonNull).distinct().sorted().toList());
            return page.unchanged();
        });
    }

    /** One item's actions, opened below the list. */
    @GetMapping("/queue/item/{requestId}")
    Mono<String> item(@PathVariable String requestId, @AuthenticationPrincipal OidcUser user, Model model) {
        return Mono.zip(work.item(services.routing(), requestId), catalog.departments(services.routing()))
                .map(found -> {
                    model.addAttribute("item", found.getT1());
                    model.addAttribute("departments", found.getT2());
                    model.addAttribute("supervises", SignedIn.of(user).isSupervisor());
                    return "queue :: panel";
                });
    }

    @PostMapping("/queue/item/{requestId}/{action}")
    Mono<String> act(@PathVariable String requestId, @PathVariable String action, ServerWebExchange exchange,
            @AuthenticationPrincipal OidcUser user, Model model) {
        if (!ACTIONS.contains(action)) {
            return Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND, "No action " + action + "."));
        }
        return exchange.getFormData().flatMap(form -> {
            long version = Long.parseLong(form.getFirst("version"));
            return work.act(services.routing(), requestId, action, version, body(action, form))
                    .flatMap(changed -> catalog.departments(services.routing()).map(departments -> {
                        exchange.getResponse().getHeaders().add("HX-Trigger", "queue-changed");
                        model.addAttribute("item", changed);
                        model.addAttribute("departments", departments);
                        model.addAttribute("supervises", SignedIn.of(user).isSupervisor());
                        model.addAttribute("done", doneMessage(action, changed));
                        return "queue :: panel";
                    }))
                    .onErrorResume(WebClientResponseException.class, refused -> {
                        UpstreamProblem problem = UpstreamProblem.of(refused);
                        exchange.getResponse().setStatusCode(HttpStatus.valueOf(problem.status()));
                        model.addAttribute("problem", problem);
                        return Mono.just("fragments/problem :: problem");
                    });
        });
    }

    /** Supervisors assign (or unassign) the ticked items in one go; each item gets its own result. */
    @PostMapping("/queue/assign")
    Mono<String> assign(ServerWebExchange exchange, Model model) {
        return exchange.getFormData().flatMap(form -> {
            List<Map<String, Object>> items = new ArrayList<>();
            for (String picked : form.getOrDefault("pick", List.of())) {
                String[] idAndVersion = picked.split("@", 2);
                items.add(Map.of("requestId", idAndVersion[0], "version", Long.parseLong(idAndVersion[1])));
            }
            if (items.isEmpty()) {
                model.addAttribute("problem", new UpstreamProblem(400, "Nothing ticked",
                        "Tick the requests to assign first.", List.of()));
                exchange.getResponse().setStatusCode(HttpStatus.BAD_REQUEST);
                return Mono.just("fragments/problem :: problem");
            }
            return work.assign(services.routing(), form.getFirst("department"), form.getFirst("agent"), items)
                    .map(results -> {
                        exchange.getResponse().getHeaders().add("HX-Trigger", "queue-changed");
                        model.addAttribute("results", results);
                        model.addAttribute("agent", form.getFirst("agent"));
                        return "queue :: assigned";
                    });
        });
    }

    private static Map<String, Object> body(String action, MultiValueMap<String, String> form) {
        Map<String, Object> body = new LinkedHashMap<>();
        switch (action) {
            case "update" -> {
                body.put("note", form.getFirst("note"));
                body.put("visibility", visibility(form));
            }
            case "hold", "reopen" -> {
                body.put("reason", form.getFirst("reason"));
                body.put("visibility", visibility(form));
            }
            case "transfer" -> {
                body.put("toDepartment", form.getFirst("toDepartment"));
                body.put("reason", form.getFirst("reason"));
                body.put("visibility", visibility(form));
                if (form.getFirst("reasonCode") != null && !form.getFirst("reasonCode").isBlank()) {
                    body.put("reasonCode", form.getFirst("reasonCode"));
                }
            }
            case "resolve" -> {
                body.put("resolutionCode", form.getFirst("resolutionCode"));
                body.put("note", form.getFirst("note"));
            }
            case "assign" -> body.put("agent", form.getFirst("agent"));
            default -> {
            }
        }
        return body;
    }

    private static String visibility(MultiValueMap<String, String> form) {
        return "internal".equals(form.getFirst("visibility")) ? "internal" : "public";
    }

    private static String doneMessage(String action, Work.Item item) {
        return switch (action) {
            case "accept" -> "Accepted: " + item.requestId() + " is now " + item.agent() + "'s.";
            case "update" -> "Note added.";
            case "hold" -> "Put on hold.";
            case "resume" -> "Work resumed.";
            case "transfer" -> "Transferred to " + item.department() + ".";
            case "resolve" -> "Resolved. The resident will be asked how it went.";
            case "reopen" -> "Reopened.";
            case "assign" -> item.agent() == null ? "Unassigned." : "Assigned to " + item.agent() + ".";
            default -> "Done.";
        };
    }
}
