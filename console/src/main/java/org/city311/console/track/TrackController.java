package org.city311.console.track;

import java.net.InetSocketAddress;

import reactor.core.publisher.Mono;

import org.city311.console.upstream.Requests;
import org.city311.console.upstream.Upstream;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

/**
 * Track a request (public): its status and public timeline by number, nothing personal, no internal notes. Each
 * visitor's address goes to request-service, which limits each visitor on their own (the console's address would
 * put every visitor in one bucket).
 */
@Controller
class TrackController {

    /** A request number as residents are given it ({@code 311-00000042}), or another deployment's prefix. */
    static final java.util.regex.Pattern REQUEST_NUMBER =
            java.util.regex.Pattern.compile("[A-Za-z0-9]{1,10}-[0-9]{1,12}");

    private final Upstream.AsConsole services;
    private final Requests requests;

    TrackController(Upstream.AsConsole services, Requests requests) {
        this.services = services;
        this.requests = requests;
    }

    @GetMapping("/track")
    String form(@RequestParam(required = false) String id, Model model) {
        if (id == null || id.isBlank()) {
            return "track-form";
        }
        // (what a visitor typed goes into the address only as a request number: nothing else to redirect to)
        if (!REQUEST_NUMBER.matcher(id.strip()).matches()) {
            model.addAttribute("typed", id.strip());
            return "track-form";
        }
        return "redirect:/track/" + id.strip();
    }

    @GetMapping("/track/{id}")
    Mono<String> track(@PathVariable String id, ServerWebExchange exchange, Model model) {
        if (!id.matches("[A-Za-z0-9-]{1,40}")) {
            return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "A request number looks like 311-00000042."));
        }
        InetSocketAddress visitor = exchange.getRequest().getRemoteAddress();
        String address = visitor == null || visitor.getAddress() == null ? null : visitor.getAddress().getHostAddress();
        return requests.track(services.request(), id, address).map(tracked -> {
            model.addAttribute("tracked", tracked);
            return "track";
        });
    }
}
