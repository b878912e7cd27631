package org.city311.request.status;

import reactor.core.publisher.Mono;

import org.city311.platform.web.Problems;
import org.city311.request.ServiceRequest;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Where a request stands and how it got there. */
@RestController
class RequestStatusController {

    private final ReactiveMongoTemplate mongo;

    RequestStatusController(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    @GetMapping("/api/requests/{id}")
    Mono<RequestView> request(@PathVariable String id) {
        return mongo.findById(id, ServiceRequest.class)
                .map(RequestView::of)
                .switchIfEmpty(Mono.error(() -> Problems.notFound("No service request " + id + ".")));
    }
}
