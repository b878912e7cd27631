package org.city311.console.call;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import reactor.core.publisher.Mono;

import org.city311.console.signin.SignedIn;
import org.city311.console.upstream.Catalog;
import org.city311.console.upstream.Requests;
import org.city311.console.upstream.Upstream;
import org.city311.console.upstream.UpstreamProblem;
import org.city311.console.web.Times;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

/**
 * Take a call: find the service in the caller's own words, ask its questions, place it, check for a request that
 * is already open for the same thing, and file once. Each step is a small page part that htmx swaps in, so the
 * call-taker never leaves the page and never waits for more than the step they took.
 */
@Controller
class CallController {

    private final Upstream.AsUser services;
    private final Catalog catalog;
    private final Requests requests;
    private final Times times;

    CallController(Upstream.AsUser services, Catalog catalog, Requests requests, Times times) {
        this.times = times;
        this.services = services;
        this.catalog = catalog;
        this.requests = requests;
    }

    @GetMapping("/call")
    String page(@AuthenticationPrincipal OidcUser user, Model model) {
        SignedIn me = SignedIn.of(user);
        if (!me.takesCalls()) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN,
                    "Filing requests is for call-takers and department staff.");
        }
        model.addAttribute("idempotencyKey", UUID.randomUUID().toString());
        model.addAttribute("mayFileInternally", me.department() != null);
        return "call";
    }

    /** The directory, searched as the call-taker types (htmx waits for a pause in typing before asking). */
    @GetMapping("/call/directory")
    Mono<String> directory(@RequestParam(defaultValue = "") String q, Model model) {
        String words = q.strip();
        if (words.length() < 2) {
            model.addAttribute("hits", List.of());
            model.addAttribute("words", words);
            return Mono.just("call :: directory-hits");
        }
        return Mono.zip(catalog.directory(services.routing(), words.length() > 200 ? words.substring(0, 200) : words),
                catalog.services(services.routing())).map(found -> {
                    Map<String, Catalog.Service> byCode = new java.util.HashMap<>();
                    found.getT2().forEach(service -> byCode.put(service.code(), service));
                    model.addAttribute("hits", found.getT1());
                    model.addAttribute("servicesByCode", byCode);
                    model.addAttribute("words", words);
                    return "call :: directory-hits";
                });
    }

    /** The chosen service: who provides it, to what standard, and its questions as form fields. */
    @GetMapping("/call/service/{code}")
    Mono<String> service(@PathVariable String code, Model model) {
        return chosen(code).map(service -> {
            model.addAttribute("service", service.service());
            model.addAttribute("department", service.department());
            model.addAttribute("form", null);
            model.addAttribute("errors", Map.of());
            return "call :: service";
        });
    }

    /** Open requests of the same service near the point: the caller may be reporting one the city knows. */
    @GetMapping("/call/nearby")
    Mono<String> nearby(@RequestParam(required = false) String serviceCode,
            @RequestParam(required = false) Double latitude, @RequestParam(required = false) Double longitude,
            Model model) {
        if (serviceCode == null || serviceCode.isBlank() || latitude == null || longitude == null
                || latitude.isNaN() || longitude.isNaN()) {
            model.addAttribute("candidates", List.of());
            model.addAttribute("looked", false);
            return Mono.just("call :: nearby");
        }
        return requests.nearby(services.request(), serviceCode, latitude, longitude).map(candidates -> {
            model.addAttribute("candidates", candidates);
            model.addAttribute("looked", true);
            return "call :: nearby";
        });
    }

    @PostMapping("/call")
    Mono<String> file(ServerWebExchange exchange, @AuthenticationPrincipal OidcUser user, Model model) {
        SignedIn me = SignedIn.of(user);
        return exchange.getFormData().flatMap(data -> {
            CallForm form = CallForm.read(data);
            Mono<Optional<Chosen>> chosen = form.serviceCode() == null ? Mono.just(Optional.empty())
                    : chosen(form.serviceCode()).map(Optional::of);
            return chosen.flatMap(service -> {
                List<CallForm.FieldError> errors = service.map(one -> form.check(one.service()))
                        .orElseGet(() -> form.check(null));
                if (!errors.isEmpty()) {
                    return invalid(exchange, model, form, service.orElse(null), errors);
                }
                Chosen one = service.orElseThrow();
                return requests.file(services.request(), form.toRequest(one.service(), me.department(), times.zone()),
                                form.idempotencyKey() == null ? UUID.randomUUID().toString() : form.idempotencyKey())
                        .map(filed -> {
                            model.addAttribute("filed", filed);
                            model.addAttribute("service", one.service());
                            model.addAttribute("department", one.department());
                            return "call :: filed";
                        })
                        .onErrorResume(WebClientResponseException.BadRequest.class, refused -> {
                            UpstreamProblem problem = UpstreamProblem.of(refused);
                            List<CallForm.FieldError> fromService = problem.fieldErrors().stream()
                                    .map(error -> new CallForm.FieldError(formField(error.field()), error.message()))
                                    .toList();
                            return invalid(exchange, model, form, one, fromService.isEmpty()
                                    ? List.of(new CallForm.FieldError("description", String.valueOf(problem.detail())))
                                    : fromService);
                        });
            });
        });
    }

    /** Where the filed request has got to: refreshed when the live stream says it moved. */
    @GetMapping("/call/filed/{id}")
    Mono<String> filed(@PathVariable String id, Model model) {
        return requests.get(services.request(), id).flatMap(filed -> {
            model.addAttribute("filed", filed);
            return chosen(filed.serviceCode()).map(one -> {
                model.addAttribute("service", one.service());
                model.addAttribute("department", one.department());
                return "call :: routing";
            });
        });
    }

    /** "This is the same": the caller is added to the open request instead of filing a second one. */
    @PostMapping("/call/same/{id}")
    Mono<String> same(@PathVariable String id, ServerWebExchange exchange, Model model) {
        return exchange.getFormData().flatMap(data -> {
            CallForm form = CallForm.read(data);
            Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("resident", form.resident());
            body.put("consentToContact", form.consentToContact());
            body.put("note", form.description());
            String key = (form.idempotencyKey() == null ? UUID.randomUUID().toString() : form.idempotencyKey())
                    + ":same:" + id;
            return requests.addReporter(services.request(), id, body, key)
                    .then(requests.get(services.request(), id))
                    .map(existing -> {
                        model.addAttribute("filed", existing);
                        return "call :: added";
                    });
        });
    }

    private Mono<String> invalid(ServerWebExchange exchange, Model model, CallForm form, Chosen service,
            List<CallForm.FieldError> errors) {
        exchange.getResponse().setStatusCode(HttpStatus.UNPROCESSABLE_CONTENT);
        model.addAttribute("form", form);
        model.addAttribute("errors", errors.stream().collect(java.util.stream.Collectors.toMap(
                CallForm.FieldError::field, CallForm.FieldError::message, (first, second) -> first,
                java.util.LinkedHashMap::new)));
        model.addAttribute("service", service == null ? null : service.service());
        model.addAttribute("department", service == null ? null : service.department());
        return Mono.just("call :: invalid");
    }

    /** The service's field names ({@code location.latitude}, {@code attributes.size}) as the form's. */
    static String formField(String serviceField) {
        if (serviceField == null) {
            return "description";
        }
        if (serviceField.startsWith("attributes.")) {
            return "attr." + serviceField.substring("attributes.".length());
        }
        if (serviceField.startsWith("location.")) {
            return serviceField.substring("location.".length());
        }
        if (serviceField.startsWith("resident.")) {
            return serviceField.substring("resident.".length());
        }
        return serviceField;
    }

    record Chosen(Catalog.Service service, Catalog.Department department) {
    }

    private Mono<Chosen> chosen(String code) {
        return Mono.zip(catalog.services(services.routing()), catalog.departments(services.routing()))
                .map(found -> {
                    Catalog.Service service = found.getT1().stream().filter(one -> one.code().equals(code))
                            .findFirst().orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                                    "The catalog has no service " + code + "."));
                    Catalog.Department department = found.getT2().stream()
                            .filter(one -> one.code().equals(service.department())).findFirst().orElse(null);
                    return new Chosen(service, department);
                });
    }
}
