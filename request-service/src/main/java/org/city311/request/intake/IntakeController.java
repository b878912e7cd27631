package org.city311.request.intake;

import java.net.URI;

import jakarta.validation.Valid;
import reactor.core.publisher.Mono;

import org.city311.request.status.RequestView;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Staff intake: a call-centre or counter agent files a request for a resident, or for their own department. */
@RestController
class IntakeController {

    private final RequestIntake intake;

    IntakeController(RequestIntake intake) {
        this.intake = intake;
    }

    @PostMapping("/api/requests")
    Mono<ResponseEntity<RequestView>> create(@Valid @RequestBody NewRequest body) {
        return intake.file(body).map(stored -> ResponseEntity
                .created(URI.create("/api/requests/" + stored.id()))
                .body(RequestView.of(stored)));
    }
}
