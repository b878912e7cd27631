package org.city311.console.mine;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.city311.console.signin.SignedIn;
import org.city311.console.upstream.Requests;
import org.city311.console.upstream.Upstream;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/** My filings: what I filed and where each one is now, refreshed as the departments move them. */
@Controller
class MyFilingsController {

    private final Upstream.AsUser services;
    private final Requests requests;
    private final LiveRelay live;

    MyFilingsController(Upstream.AsUser services, Requests requests, LiveRelay live) {
        this.services = services;
        this.requests = requests;
        this.live = live;
    }

    @GetMapping("/my")
    Mono<String> page(@AuthenticationPrincipal OidcUser user, @RequestParam(required = false) String cursor,
            Model model) {
        return list(user, cursor, model).thenReturn("my");
    }

    /** The list alone, swapped in when the live stream says one of them moved. */
    @GetMapping("/my/list")
    Mono<String> listOnly(@AuthenticationPrincipal OidcUser user, @RequestParam(required = false) String cursor,
            Model model) {
        return list(user, cursor, model).thenReturn("my :: filings");
    }

    @GetMapping(path = "/my/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @ResponseBody
    Flux<ServerSentEvent<String>> events(@AuthenticationPrincipal OidcUser user) {
        return live.of(SignedIn.of(user).id(), services.request());
    }

    private Mono<Void> list(OidcUser user, String cursor, Model model) {
        MultiValueMap<String, String> filters = new LinkedMultiValueMap<>();
        filters.add("filedBy", SignedIn.of(user).id());
        filters.add("limit", "25");
        if (cursor != null && !cursor.isBlank()) {
            filters.add("cursor", cursor);
        }
        return requests.search(services.request(), filters).doOnNext(page -> model.addAttribute("page", page))
                .then();
    }
}
