package org.city311.console.map;

import java.time.Duration;

import reactor.core.publisher.Mono;

import org.city311.console.upstream.Upstream;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The city's districts as GeoJSON, for the maps: the outlines the catalog routes by. Public (they are on the
 * department pages too), read with the console's own identity and cached by browsers for a few minutes.
 */
@RestController
class MapController {

    private final Upstream.AsConsole services;

    MapController(Upstream.AsConsole services) {
        this.services = services;
    }

    @GetMapping(path = "/map/districts", produces = "application/geo+json")
    Mono<ResponseEntity<String>> districts() {
        return services.routing().get().uri("/api/catalog/districts").accept(MediaType.ALL).retrieve()
                .bodyToMono(String.class)
                .map(body -> ResponseEntity.ok().cacheControl(CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic())
                        .contentType(MediaType.parseMediaType("application/geo+json")).body(body));
    }
}
