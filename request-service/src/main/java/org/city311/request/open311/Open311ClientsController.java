package org.city311.request.open311;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

import org.city311.platform.web.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The admins' side of the api_keys (a JSON API, errors as problem+json): issue a key to a client application, list
 * the clients, mark a key as a trusted integration (a system the city itself runs, which may post updates to any
 * request), revoke a key. A key is shown once, when issued.
 */
@RestController
@RequestMapping("/api/open311/clients")
class Open311ClientsController {

    private final Open311Clients clients;

    Open311ClientsController(Open311Clients clients) {
        this.clients = clients;
    }

    /** @param trustedIntegration optional, false when left out */
    record NewClient(@NotBlank @Size(max = 100)
            @Pattern(regexp = "[\\p{L}\\p{N} ._()'&-]+", message = "letters, digits, spaces and . _ ( ) ' & - only")
            String name, Boolean trustedIntegration) {
    }

    record IssuedClient(String id, String name, String apiKey, Instant createdAt, boolean trustedIntegration) {
    }

    record ClientView(String id, String name, Instant createdAt, Instant revokedAt, boolean trustedIntegration) {

        static ClientView of(Open311Client client) {
            return new ClientView(client.clientId(), client.name(), client.createdAt(), client.revokedAt(),
                    client.trusted());
        }
    }

    record ClientChange(@NotNull Boolean trustedIntegration) {
    }

    @PostMapping
    Mono<ResponseEntity<IssuedClient>> issue(@Valid @RequestBody NewClient body) {
        return clients.issue(body.name().strip(), Boolean.TRUE.equals(body.trustedIntegration()))
                .map(issued -> ResponseEntity.status(HttpStatus.CREATED)
                        .location(URI.create("/api/open311/clients/" + issued.client().clientId()))
                        .body(new IssuedClient(issued.client().clientId(), issued.client().name(), issued.apiKey(),
                                issued.client().createdAt(), issued.client().trusted())));
    }

    @PatchMapping("/{id}")
    Mono<ClientView> change(@PathVariable String id, @Valid @RequestBody ClientChange body) {
        return clients.trust(id, body.trustedIntegration())
                .map(ClientView::of)
                .switchIfEmpty(Mono.error(() -> Problems.notFound("No Open311 client " + id + ".")));
    }

    @GetMapping
    Mono<List<ClientView>> all() {
        return clients.all().map(ClientView::of).collectList();
    }

    @DeleteMapping("/{id}")
    Mono<ClientView> revoke(@PathVariable String id) {
        return clients.revoke(id)
                .map(ClientView::of)
                .switchIfEmpty(Mono.error(() -> Problems.notFound("No Open311 client " + id + ".")));
    }
}
