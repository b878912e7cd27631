package org.city311.request.open311;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.city311.request.Channel;
import org.city311.request.RequestStatus;
import org.city311.request.ServiceRequest;
import org.city311.request.catalog.CatalogSnapshot;
import org.city311.request.catalog.ServiceCatalogCopy;
import org.city311.request.intake.NewRequest;
import org.city311.request.intake.RequestIntake;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/** POST requests, GET requests, GET requests/{id} and GET tokens/{token}. */
@Component
class RequestsHandler {

    static final int MAX_DESCRIPTION = 4000;
    private static final Pattern TOKEN = Pattern.compile("[0-9a-fA-F-]{36}");
    private static final int MAX_ID_LENGTH = 64;
    private static final Duration TOKEN_POLL = Duration.ofMillis(200);

    private final RequestIntake intake;
    private final ServiceCatalogCopy catalog;
    private final Open311Clients clients;
    private final MediaUrls media;
    private final ReactiveMongoTemplate mongo;
    private final Validator validator;
    private final Calls calls;
    private final Clock clock;
    private final Duration tokenWait;

    RequestsHandler(RequestIntake intake, ServiceCatalogCopy catalog, Open311Clients clients, MediaUrls media,
            ReactiveMongoTemplate mongo, Validator validator, Calls calls, Clock clock, Open311Properties properties) {
        this.tokenWait = properties.tokenWait();
        this.intake = intake;
        this.catalog = catalog;
        this.clients = clients;
        this.media = media;
        this.mongo = mongo;
        this.validator = validator;
        this.calls = calls;
        this.clock = clock;
    }

    /**
     * Files a request from a client application's form. A realtime service answers its service_request_id; a
     * batch service answers a token, which GET tokens/{token} turns into the id once the request is routed.
     */
    Mono<ServerResponse> create(ServerRequest request) {
        Format format = Calls.format(request);
        return calls.form(request).flatMap(form -> clients.authenticate(form.text("api_key"))
                .switchIfEmpty(Mono.error(() -> Open311Exception.forbidden(form.text("api_key") == null
                        ? "api_key: required to post; ask the city for one"
                        : "api_key: not valid, or revoked")))
                .flatMap(client -> file(form, client))
                .map(filed -> filed.token() != null
                        ? Node.group("request", Node.field("token", filed.token()))
                        : Node.group("request", Node.field("service_request_id", filed.id())))
                .flatMap(answer -> Calls.ok(format, Node.items("service_requests", List.of(answer)))));
    }

    private Mono<ServiceRequest> file(Parameters form, Open311Client client) {
        String code = form.text("service_code");
        if (code == null) {
            throw Open311Exception.badRequest("service_code: required; GET services lists them");
        }
        CatalogSnapshot snapshot = catalog.current();
        CatalogSnapshot.Service service = snapshot.service(code).orElseThrow(() -> Open311Exception
                .notFound("service_code: no service '" + Parameters.abbreviate(code) + "'; GET services lists them"));
        List<String> problems = new ArrayList<>();
        NewRequest.NewLocation location = location(form, problems);
        String description = form.text("description");
        if (description != null && description.length() > MAX_DESCRIPTION) {
            problems.add("description: at most " + MAX_DESCRIPTION + " characters, not " + description.length());
        }
        Map<String, Object> attributes = form.attributes();
        Set<String> defined = service.attributes().stream().map(CatalogSnapshot.Attribute::code)
                .collect(Collectors.toSet());
        attributes.keySet().stream().filter(attribute -> !defined.contains(attribute)).forEach(attribute -> problems
                .add("attribute[" + Parameters.abbreviate(attribute) + "]: service " + code + " has no such attribute"
                        + (defined.isEmpty() ? "" : "; its attributes are " + String.join(", ", defined))));
        List<String> mediaUrls = form.all("media_url");
        if (mediaUrls.size() > MediaUrls.MAX_URLS) {
            problems.add("media_url: at most " + MediaUrls.MAX_URLS);
        }
        mediaUrls.stream().map(MediaUrls::problem).filter(problem -> problem != null).findFirst()
                .ifPresent(problems::add);
        NewRequest.NewResident resident = resident(form);
        NewRequest body = new NewRequest(code, description, Channel.OPEN311, location, resident, attributes,
                client.actor(), null, mediaUrls);
        // The same constraints as the staff API's, for what the checks above did not already name.
        Set<String> named = problems.stream().map(problem -> problem.split(":", 2)[0])
                .collect(Collectors.toSet());
        for (ConstraintViolation<NewRequest> violation : validator.validate(body)) {
            String field = IntakeProblems.open311Field(violation.getPropertyPath().toString());
            if (named.add(field)) {
                problems.add(field + ": " + violation.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw Open311Exception.badRequest(problems);
        }
        // The photos are stored with the request, in the same insert: a 200 never leaves them behind.
        return Mono.defer(() -> intake.file(body, null)).map(filed -> filed.request());
    }

    /** lat and long together, or address_string, or address_id (kept as the address when no string is given). */
    private static NewRequest.NewLocation location(Parameters form, List<String> problems) {
        String latitude = form.text("lat");
        String longitude = form.text("long");
        String address = form.text("address_string");
        if (address == null) {
            address = form.text("address_id");
        }
        if (latitude == null && longitude == null && address == null) {
            problems.add("lat/long: a location is required: lat and long, or address_string, or address_id");
            return null;
        }
        if ((latitude == null) != (longitude == null)) {
            problems.add((latitude == null ? "lat" : "long") + ": required with " + (latitude == null ? "long" : "lat"));
            return null;
        }
        Double lat = latitude == null ? null : coordinate("lat", latitude, 90, problems);
        Double lon = longitude == null ? null : coordinate("long", longitude, 180, problems);
        return new NewRequest.NewLocation(address == null ? null : address.strip(), lat, lon);
    }

    private static Double coordinate(String name, String text, int max, List<String> problems) {
        try {
            BigDecimal value = new BigDecimal(text.strip());
            if (value.abs().compareTo(BigDecimal.valueOf(max)) <= 0) {
                return value.doubleValue();
            }
        }
        catch (NumberFormatException ex) {
            // answered below
        }
        problems.add(name + ": a WGS84 decimal degree from -" + max + " to " + max + ", not '"
                + Parameters.abbreviate(text) + "'");
        return null;
    }

    private static NewRequest.NewResident resident(Parameters form) {
        String firstName = form.text("first_name");
        String lastName = form.text("last_name");
        String email = form.text("email");
        String phone = form.text("phone");
        if (firstName == null && lastName == null && email == null && phone == null) {
            return null;
        }
        return new NewRequest.NewResident(strip(firstName), strip(lastName), strip(phone), strip(email), null);
    }

    private static String strip(String text) {
        return text == null ? null : text.strip();
    }

    Mono<ServerResponse> search(ServerRequest request) {
        Format format = Calls.format(request);
        Parameters parameters = calls.query(request);
        boolean extensions = parameters.flag("extensions");
        Query query = RequestRecords.visible(RequestFilters.query(parameters, clock.instant()));
        return mongo.find(query, ServiceRequest.class).collectList()
                .flatMap(found -> render(found, extensions))
                .flatMap(records -> Calls.ok(format, Node.items("service_requests", records)));
    }

    Mono<ServerResponse> one(ServerRequest request) {
        Format format = Calls.format(request);
        boolean extensions = calls.query(request).flag("extensions");
        String id = request.pathVariable("id");
        Mono<ServiceRequest> found = id.length() > MAX_ID_LENGTH ? Mono.empty()
                : mongo.findOne(RequestRecords.visible(Query.query(Criteria.where("_id").is(id))),
                        ServiceRequest.class);
        return found
                .switchIfEmpty(Mono.error(() -> Open311Exception.notFound("service_request_id: no request '"
                        + Parameters.abbreviate(id) + "'")))
                .flatMap(stored -> render(List.of(stored), extensions))
                .flatMap(records -> Calls.ok(format, Node.items("service_requests", records)));
    }

    /**
     * The token alone while the request waits to be routed; then its service_request_id too. A request still
     * waiting is looked at again for a few seconds before answering: clients that ask once, right after posting
     * (FixMyStreet), get the id instead of posting the report a second time.
     */
    Mono<ServerResponse> token(ServerRequest request) {
        Format format = Calls.format(request);
        calls.query(request);
        String token = request.pathVariable("token");
        Mono<ServiceRequest> lookup = TOKEN.matcher(token).matches()
                ? Mono.defer(() -> mongo.findOne(RequestRecords.visible(
                        Query.query(Criteria.where("token").is(token))), ServiceRequest.class))
                : Mono.empty();
        return lookup
                .switchIfEmpty(Mono.error(() -> Open311Exception.notFound("token: no request has the token '"
                        + Parameters.abbreviate(token) + "'")))
                .flatMap(stored -> stored.status() != RequestStatus.SUBMITTED || tokenWait.isZero()
                        ? Mono.just(stored)
                        : Flux.interval(TOKEN_POLL).concatMap(tick -> lookup)
                                .filter(again -> again.status() != RequestStatus.SUBMITTED)
                                .next()
                                .timeout(tokenWait, Mono.just(stored)))
                .map(stored -> stored.status() == RequestStatus.SUBMITTED
                        ? Node.group("request", Node.field("token", token))
                        : Node.group("request", Node.field("service_request_id", stored.id()),
                                Node.field("token", token)))
                .flatMap(answer -> Calls.ok(format, Node.items("service_requests", List.of(answer))));
    }

    private Mono<List<Node>> render(List<ServiceRequest> found, boolean extensions) {
        Optional<CatalogSnapshot> snapshot = catalog.find();
        return media.firstOf(found)
                .map(mediaUrls -> found.stream()
                        .<Node>map(stored -> RequestRecords.request(stored, snapshot, mediaUrls.get(stored.id()),
                                extensions))
                        .toList());
    }
}
