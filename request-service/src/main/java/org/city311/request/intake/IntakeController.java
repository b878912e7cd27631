package org.city311.request.intake;

import java.net.URI;
import java.util.List;

import jakarta.validation.Valid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.city311.request.duplicates.PossibleDuplicates;
import org.city311.request.status.RequestView;
import org.city311.platform.security.Caller;
import org.city311.platform.web.Problems;
import org.city311.request.access.RequestAccess;
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

    private static final Logger log = LoggerFactory.getLogger(IntakeController.class);

    private final RequestIntake intake;
    private final PossibleDuplicates possibleDuplicates;

    IntakeController(RequestIntake intake, PossibleDuplicates possibleDuplicates) {
        this.intake = intake;
        this.possibleDuplicates = possibleDuplicates;
    }

    @PostMapping("/api/requests")
    Mono<ResponseEntity<RequestView>> create(@Valid @RequestBody NewRequest body,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey, Caller caller) {
        if (body.filedBy() != null && !body.filedBy().equals(caller.id())) {
            return Mono.error(Problems.invalid("filedBy", "a request is filed in the caller's own name, "
                    + caller.id() + "; leave filedBy out"));
        }
        RequestAccess.checkRequestingDepartment(caller, body.requestingDepartment());
        // the open requests nearby are looked up while the request is filed (it checks the body first)
        Mono<RequestIntake.Filed> filing = intake.file(body.filedAs(caller.id()), idempotencyKey,
                caller.team());
        // (a look that fails leaves the answer without candidates, never the filing unanswered or half done)
        Mono<List<RequestView.PossibleDuplicate>> nearby = body.location() == null ? Mono.just(List.of())
                : possibleDuplicates.at(body.serviceCode(), body.location().latitude(), body.location().longitude())
                        .onErrorResume(failure -> {
                            log.warn("Could not look for possible duplicates of a filing ({})", failure.toString());
                            return Mono.just(List.of());
                        });
        return Mono.zip(filing, nearby).map(both -> {
            RequestIntake.Filed filed = both.getT1();
            return ResponseEntity.status(HttpStatus.CREATED)
                    .location(URI.create("/api/requests/" + filed.request().id()))
                    .header("Idempotent-Replayed", String.valueOf(filed.repeated()))
                    .body(RequestView.of(filed.request(),
                            PossibleDuplicates.without(both.getT2(), filed.request().id())));
        });
    }
}
