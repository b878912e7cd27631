package org.city311.request.intake;

import java.net.URI;

import jakarta.validation.Valid;
import reactor.core.publisher.Mono;

import org.city311.request.duplicates.PossibleDuplicates;
import org.city311.request.status.RequestView;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Staff intake: a call-centre or counter agent files a request for a resident, or for their own department. The
 * answer lists open requests for the same service close by, so the agent can link instead of filing twice.
 */
@RestController
class IntakeController {

    private final RequestIntake intake;
    private final PossibleDuplicates possibleDuplicates;

    IntakeController(RequestIntake intake, PossibleDuplicates possibleDuplicates) {
        this.intake = intake;
        this.possibleDuplicates = possibleDuplicates;
    }

    @PostMapping("/api/requests")
    Mono<ResponseEntity<RequestView>> create(@Valid @RequestBody NewRequest body,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        return intake.file(body, idempotencyKey)
                .flatMap(filed -> possibleDuplicates.of(filed.request())
                        .map(candidates -> ResponseEntity.status(HttpStatus.CREATED)
                                .location(URI.create("/api/requests/" + filed.request().id()))
                                .header("Idempotent-Replayed", String.valueOf(filed.repeated()))
                                .body(RequestView.of(filed.request(), candidates))));
    }
}
