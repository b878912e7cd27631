package org.city311.request.live;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.city311.platform.security.Caller;
import org.city311.platform.web.Problems;
import org.city311.request.ServiceRequest;
import org.city311.request.access.RequestAccess;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Live updates for the staff member who filed a request: they hear of every step until it is done, without
 * asking: {@code /api/requests/events} streams the caller's own filings, {@code /api/requests/{id}/events} one
 * request they may read. A stream lasts as long as the caller's token, and shows only what they may still read.
 */
@RestController
class LiveUpdatesController {

    private final LiveUpdates live;
    private final ReactiveMongoTemplate mongo;

    LiveUpdatesController(LiveUpdates live, ReactiveMongoTemplate mongo) {
        this.live = live;
        this.mongo = mongo;
    }

    @GetMapping(path = "/api/requests/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<LiveUpdates.Change>> filedBy(@RequestParam(required = false) String filedBy,
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId, Caller caller,
            @AuthenticationPrincipal Jwt token) {
        if (filedBy != null && !filedBy.equals(caller.id())) {
            return Flux.error(Problems.forbidden("The stream follows your own filings; " + filedBy
                    + " follows theirs."));
        }
        return live.filedBy(new LiveUpdates.Listener(caller, token.getExpiresAt()), lastEventId);
    }

    @GetMapping(path = "/api/requests/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<LiveUpdates.Change>> request(@PathVariable String id,
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId, Caller caller,
            @AuthenticationPrincipal Jwt token) {
        return mongo.findById(id, ServiceRequest.class)
                .switchIfEmpty(Mono.error(() -> Problems.notFound("No service request " + id + ".")))
                .flatMapMany(found -> {
                    RequestAccess.readable(caller, found);
                    return live.request(id, new LiveUpdates.Listener(caller, token.getExpiresAt()), lastEventId);
                });
    }
}
