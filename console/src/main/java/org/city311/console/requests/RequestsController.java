package org.city311.console.requests;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import reactor.core.publisher.Mono;
import reactor.util.function.Tuple2;
import reactor.util.function.Tuples;
import tools.jackson.databind.json.JsonMapper;

import org.city311.console.signin.SignedIn;
import org.city311.console.signin.StaffRole;
import org.city311.console.upstream.Catalog;
import org.city311.console.upstream.Requests;
import org.city311.console.upstream.Surveys;
import org.city311.console.upstream.Upstream;
import org.city311.console.web.Times;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.function.client.WebClientException;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import org.springframework.web.server.ServerWebExchange;

/**
 * Search and a request's detail: its timeline with every hop, who did what (for those who audit), the survey
 * link to read out on the phone and the answers taken down by phone, and duplicate links. What personal data
 * shows is request-service's decision: auditors see everything else.
 */
@Controller
class RequestsController {

    /** The filters the search form offers, passed to request-service as they are. */
    static final List<String> FILTERS = List.of("q", "status", "serviceCode", "department", "district", "segment",
            "channel", "from", "to", "phone", "email", "cursor");

    private final Upstream.AsUser services;
    private final Requests requests;
    private final Surveys surveys;
    private final Catalog catalog;
    private final Times times;

    private final JsonMapper json;

    RequestsController(Upstream.AsUser services, Requests requests, Surveys surveys, Catalog catalog, Times times,
            JsonMapper json) {
        this.json = json;
        this.times = times;
        this.catalog = catalog;
        this.services = services;
        this.requests = requests;
        this.surveys = surveys;
    }

    @GetMapping("/requests")
    Mono<String> search(@RequestParam MultiValueMap<String, String> given, Model model) {
        Map<String, String> asked = new LinkedHashMap<>();
        for (String name : FILTERS) {
            String value = given.getFirst(name);
            if (value != null && !value.isBlank()) {
                asked.put(name, value.strip());
            }
        }
        MultiValueMap<String, String> filters = new LinkedMultiValueMap<>();
        SearchFilters.upstream(asked, times.zone()).forEach(filters::add);
        filters.add("limit", "25");
        Map<String, String> shown = new LinkedHashMap<>(asked);
        shown.remove("cursor");
        model.addAttribute("filters", shown);
        model.addAttribute("statuses", SearchFilters.STATUSES);
        return requests.search(services.request(), filters).map(page -> {
            model.addAttribute("page", page);
            model.addAttribute("markers", markers(page));
            return "requests";
        });
    }

    /** The page's requests as map markers, for the script: {@code [{"lat":..,"lon":..,"label":".."}]}. */
    String markers(Requests.Page page) {
        List<Map<String, Object>> markers = page.items().stream()
                .filter(item -> item.latitude() != null && item.longitude() != null)
                .map(item -> Map.<String, Object>of("lat", item.latitude(), "lon", item.longitude(), "label",
                        item.id() + " " + item.serviceCode() + " (" + item.status() + ")"))
                .toList();
        return json.writeValueAsString(markers);
    }

    @GetMapping("/requests/{id}")
    Mono<String> detail(@PathVariable String id, @AuthenticationPrincipal OidcUser user, Model model) {
        SignedIn me = SignedIn.of(user);
        Mono<Optional<Requests.AuditTrail>> audit = me.has(StaffRole.AUDITOR, StaffRole.ADMIN, StaffRole.SUPERVISOR)
                ? requests.audit(services.request(), id).map(Optional::of)
                        .onErrorResume(WebClientResponseException.Forbidden.class, refused -> Mono.just(Optional.empty()))
                : Mono.just(Optional.empty());
        Mono<List<Surveys.Survey>> surveyList = surveys.ofRequest(services.feedback(), id)
                .onErrorResume(WebClientResponseException.class, refused -> Mono.just(List.of()));
        // the request, with its service from the catalog (reused, so mostly no call), which names the service and
        // its questions; without it the codes show
        Mono<Tuple2<Requests.Detail, Optional<Catalog.Service>>> withService = requests.get(services.request(), id)
                .flatMap(request -> catalog.service(services.routing(), request.serviceCode())
                        .onErrorResume(RequestsController::unavailable, unavailable -> Mono.just(Optional.empty()))
                        .map(service -> Tuples.of(request, service)));
        // its other reports: the requests staff linked to it as duplicates (one indexed query)
        Mono<List<Requests.Summary>> duplicates = requests.search(services.request(),
                        new LinkedMultiValueMap<>(Map.of("duplicateOf", List.of(id), "limit", List.of("20"))))
                .map(Requests.Page::items)
                .onErrorResume(RequestsController::unavailable, refused -> Mono.just(List.of()));
        return Mono.zip(withService, audit, surveyList, duplicates).map(found -> {
            Requests.Detail request = found.getT1().getT1();
            Optional<Catalog.Service> service = found.getT1().getT2();
            model.addAttribute("request", request);
            model.addAttribute("serviceName", service.map(Catalog.Service::name).orElse(request.serviceCode()));
            model.addAttribute("answers", ServiceAnswers.of(request.attributes(), service));
            model.addAttribute("audit", found.getT2().orElse(null));
            model.addAttribute("surveys", found.getT3());
            model.addAttribute("duplicates", found.getT4());
            model.addAttribute("runsSurveys", me.has(StaffRole.STAFF, StaffRole.AGENT, StaffRole.SUPERVISOR));
            // the department that has it works it from here too: a resolved request is no longer in its queue
            model.addAttribute("worksOnIt", me.has(StaffRole.AGENT, StaffRole.SUPERVISOR)
                    && request.department() != null && request.department().equals(me.department()));
            return "request";
        });
    }

    /**
     * A fresh survey link to read out, and the form to take the answers down during the call; or, for the staff
     * member who asked for an internal request, the form to answer it themselves.
     */
    @PostMapping("/requests/{id}/survey-link")
    Mono<String> surveyLink(@PathVariable String id, ServerWebExchange exchange, Model model) {
        return exchange.getFormData().flatMap(form -> surveys.link(services.feedback(), form.getFirst("surveyId"))
                .map(link -> {
                    model.addAttribute("link", link);
                    model.addAttribute("requestId", id);
                    // an internal request's customer answers for themselves (from follow-ups), not for a caller
                    model.addAttribute("self", "self".equals(form.getFirst("answering")));
                    return "request :: survey-link";
                }));
    }

    @PostMapping("/requests/{id}/phone-answers")
    Mono<String> phoneAnswers(@PathVariable String id, ServerWebExchange exchange, Model model) {
        return exchange.getFormData().flatMap(form -> {
            Map<String, Object> answers = new LinkedHashMap<>();
            answers.put("satisfaction", Integer.valueOf(Optional.ofNullable(form.getFirst("satisfaction")).orElse("0")));
            answers.put("resolved", "yes".equals(form.getFirst("resolved")));
            String comment = form.getFirst("comment");
            if (comment != null && !comment.isBlank()) {
                answers.put("comment", comment.strip());
            }
            return surveys.answer(services.feedback(), form.getFirst("token"), answers);
        }).map(recorded -> {
            model.addAttribute("recorded", recorded);
            return "request :: answers-recorded";
        });
    }

    /** A service that refused, could not be reached or did not answer in time: the page does without its part. */
    private static boolean unavailable(Throwable failure) {
        return failure instanceof WebClientException || failure instanceof java.util.concurrent.TimeoutException;
    }

    /** The request is the same as another: linked as its duplicate (the department closes it there). */
    @PostMapping("/requests/{id}/duplicate-of")
    Mono<String> duplicateOf(@PathVariable String id, ServerWebExchange exchange) {
        return exchange.getFormData()
                .flatMap(form -> services.request().post()
                        .uri("/api/requests/{id}/duplicate-of/{parent}", id, String.valueOf(form.getFirst("parentId")).strip())
                        .retrieve().toBodilessEntity())
                .thenReturn("redirect:/requests/" + id);
    }
}
