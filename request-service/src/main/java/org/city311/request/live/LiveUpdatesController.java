package org.city311.request.live;

import reactor.core.publisher.Flux;

import org.city311.platform.web.Problems;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Live updates for the staff member who filed a request: they hear of every step until it is done, without
 * asking. (Who the caller is will come from their token; until then, {@code filedBy} names them.)
 */
@RestController
class LiveUpdatesController {

    private final LiveUpdates live;

    LiveUpdatesController(LiveUpdates live) {
        this.live = live;
    }

    @GetMapping(path = "/api/requests/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<LiveUpdates.Change>> filedBy(@RequestParam String filedBy,
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
        return live.stream(Criteria.where("filedBy").is(filedBy), lastEventId);
    }

    @GetMapping(path = "/api/requests/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<LiveUpdates.Change>> request(@PathVariable String id,
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
        return live.exists(id).flatMapMany(exists -> exists
                ? live.stream(Criteria.where("_id").is(id), lastEventId)
                : Flux.error(Problems.notFound("No service request " + id + ".")));
    }
}
