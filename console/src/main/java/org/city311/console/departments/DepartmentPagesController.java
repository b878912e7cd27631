package org.city311.console.departments;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import reactor.core.publisher.Mono;

import org.city311.console.upstream.Catalog;
import org.city311.console.upstream.Levels;
import org.city311.console.upstream.Upstream;
import org.city311.console.web.Times;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import org.springframework.web.server.ResponseStatusException;

/**
 * The public department pages: the brochure each department publishes — what it does, where it is, how to reach
 * it, its services and their published standards, and how it is doing against them this month — generated from
 * the catalog and the scorecards, so it is never out of date. No sign-in, no personal data: read with the
 * console's own public identity.
 */
@Controller
class DepartmentPagesController {

    private final Upstream.AsConsole services;
    private final Catalog catalog;
    private final Levels levels;
    private final Times times;

    DepartmentPagesController(Upstream.AsConsole services, Catalog catalog, Levels levels, Times times) {
        this.services = services;
        this.catalog = catalog;
        this.levels = levels;
        this.times = times;
    }

    @GetMapping("/departments")
    Mono<String> list(Model model) {
        return Mono.zip(catalog.departments(services.routing()), catalog.services(services.routing()))
                .map(found -> {
                    model.addAttribute("departments", found.getT1());
                    model.addAttribute("services", found.getT2());
                    return "departments";
                });
    }

    @GetMapping("/departments/{code}")
    Mono<String> one(@PathVariable String code, Model model) {
        // A fixed start and no end: metrics-service answers the same window from its cache for every visitor.
        Instant from = times.monthStart();
        Mono<Optional<Levels.DepartmentScorecard>> card = levels.department(services.metrics(), code, from)
                .map(Optional::of)
                .onErrorResume(WebClientResponseException.NotFound.class, none -> Mono.just(Optional.empty()));
        return Mono.zip(catalog.departments(services.routing()), catalog.services(services.routing()), card)
                .map(found -> {
                    Catalog.Department department = found.getT1().stream().filter(one -> one.code().equals(code))
                            .findFirst().orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                                    "The city has no department " + code + "."));
                    List<Catalog.Service> offered = found.getT2().stream()
                            .filter(service -> code.equals(service.department())).toList();
                    model.addAttribute("department", department);
                    model.addAttribute("offered", offered);
                    model.addAttribute("card", found.getT3().orElse(null));
                    model.addAttribute("monthStart", from);
                    model.addAttribute("hours", WorkingHours.of(department.hours(), times.today(), 3));
                    return "department";
                });
    }
}
