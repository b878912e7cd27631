package org.city311.request.intake;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import reactor.core.publisher.Mono;

import org.city311.platform.events.CloudEvent;
import org.city311.platform.events.CloudEvents;
import org.city311.platform.outbox.OutboxRelay;
import org.city311.platform.outbox.PendingEvent;
import org.city311.platform.web.Problems;
import org.city311.request.Channel;
import org.city311.request.RequestStatus;
import org.city311.request.ServiceRequest;
import org.city311.request.ServiceRequest.Location;
import org.city311.request.ServiceRequest.Resident;
import org.city311.request.ServiceRequest.Segment;
import org.city311.request.ServiceRequest.StatusChange;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.stereotype.Service;

/**
 * Accepts a request: the stored document and its request-created event are written in one insert, so a request
 * answered with 201 always reaches Kafka, even if the broker is down at that moment.
 */
@Service
class RequestIntake {

    static final String REQUEST_TOPIC = "city311.requests";
    private static final Pattern ATTRIBUTE_CODE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int MAX_ATTRIBUTE_LENGTH = 1000;

    private final ReactiveMongoTemplate mongo;
    private final RequestIds ids;
    private final CloudEvents cloudEvents;
    private final OutboxRelay outboxRelay;
    private final Clock clock;

    RequestIntake(ReactiveMongoTemplate mongo, RequestIds ids, CloudEvents cloudEvents, OutboxRelay outboxRelay,
            Clock clock) {
        this.mongo = mongo;
        this.ids = ids;
        this.cloudEvents = cloudEvents;
        this.outboxRelay = outboxRelay;
        this.clock = clock;
    }

    Mono<ServiceRequest> file(NewRequest body) {
        Location location = location(body.location());
        Map<String, Object> attributes = attributes(body.attributes());
        Segment segment = body.channel() == Channel.INTERNAL ? Segment.INTERNAL : Segment.RESIDENT;
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return ids.next().flatMap(id -> {
            RequestCreated created = new RequestCreated(id, body.serviceCode(), body.description(),
                    body.channel().wireName(), segment.name().toLowerCase(), eventLocation(location), attributes, now);
            CloudEvent event = cloudEvents.create(RequestCreated.TYPE, id, created);
            ServiceRequest request = new ServiceRequest(id, body.serviceCode(), body.description(), body.channel(),
                    segment, location, resident(body.resident()), attributes, body.filedBy(), RequestStatus.SUBMITTED,
                    null, 0, List.of(new StatusChange(RequestStatus.SUBMITTED, now, null, null, event.id())), now, now,
                    List.of(PendingEvent.of(REQUEST_TOPIC, event, cloudEvents)));
            return mongo.insert(request);
        }).doOnSuccess(stored -> outboxRelay.wakeUp());
    }

    private static Location location(NewRequest.NewLocation given) {
        if (given == null) {
            return null;
        }
        if ((given.latitude() == null) != (given.longitude() == null)) {
            throw Problems.invalid("location", "latitude and longitude go together: give both or neither");
        }
        if (isBlank(given.address()) && given.latitude() == null) {
            throw Problems.invalid("location", "a location needs an address, or a latitude and longitude");
        }
        return new Location(isBlank(given.address()) ? null : given.address().strip(), given.latitude(),
                given.longitude());
    }

    private static RequestCreated.Location eventLocation(Location location) {
        return location == null ? null
                : new RequestCreated.Location(location.address(), location.latitude(), location.longitude());
    }

    private static Resident resident(NewRequest.NewResident given) {
        if (given == null) {
            return null;
        }
        return new Resident(given.firstName(), given.lastName(), given.phone(), given.email(),
                Boolean.TRUE.equals(given.consentToContact()));
    }

    /** Attribute values are text or lists of text: the Open311 model, and safe to store as given. */
    private static Map<String, Object> attributes(Map<String, Object> given) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        if (given == null) {
            return attributes;
        }
        given.forEach((code, value) -> {
            String field = "attributes." + code;
            if (!ATTRIBUTE_CODE.matcher(code).matches()) {
                throw Problems.invalid("attributes", "attribute codes are 1-64 letters, digits, '_' or '-'");
            }
            if (value instanceof Collection<?> values) {
                List<String> texts = new ArrayList<>();
                for (Object each : values) {
                    texts.add(text(field, each));
                }
                attributes.put(code, List.copyOf(texts));
            }
            else if (value != null) {
                attributes.put(code, text(field, value));
            }
        });
        return attributes;
    }

    private static String text(String field, Object value) {
        if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
            throw Problems.invalid(field, "an attribute value is text, a number, true/false, or a list of those");
        }
        String text = value.toString();
        if (text.length() > MAX_ATTRIBUTE_LENGTH) {
            throw Problems.invalid(field, "an attribute value has at most " + MAX_ATTRIBUTE_LENGTH + " characters");
        }
        return text;
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
