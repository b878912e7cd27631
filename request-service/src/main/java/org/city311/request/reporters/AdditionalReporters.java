package org.city311.request.reporters;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

import org.city311.platform.security.Caller;
import org.city311.platform.security.Role;
import org.city311.platform.web.Problems;
import org.city311.platform.web.Problems.FieldProblem;
import org.city311.request.CallerKeys;
import org.city311.request.RequestStatus;
import org.city311.request.RequestStore;
import org.city311.request.ServiceRequest;
import org.city311.request.ServiceRequest.AdditionalReporter;
import org.city311.request.ServiceRequest.Resident;
import org.city311.request.ServiceRequest.StatusChange;
import org.city311.request.intake.NewRequest;
import org.city311.request.intake.TextRules;
import org.city311.request.status.RequestView;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * "This is the same": a call-taker adds the caller to an open request instead of filing a second one. The caller
 * becomes an additional reporter, with their own contact details and consent, kept apart from the first resident's
 * and shown only to whom those are; the request counts its reporters; its timeline says another caller reported it
 * (an internal entry, without any personal data). No event is published: no other service counts reporters, and
 * feedback-service reads the consented addresses from the contact endpoint when it sends the survey.
 * <p>
 * One conditional update adds the caller, its timeline entry and the staff member's idempotency key together; a
 * retry with the same {@code Idempotency-Key} finds the key on the request and adds nobody.
 */
@RestController
class AdditionalReporters {

    /** Callers a request takes at most: a document must not grow without end. */
    static final int MAX_ADDITIONAL_REPORTERS = 100;
    static final String KIND = "reporter-added";
    private static final Set<RequestStatus> OPEN = EnumSet.of(RequestStatus.SUBMITTED, RequestStatus.ROUTED,
            RequestStatus.IN_PROGRESS, RequestStatus.ON_HOLD, RequestStatus.REOPENED);

    private final ReactiveMongoTemplate mongo;
    private final RequestStore requests;
    private final Clock clock;

    AdditionalReporters(ReactiveMongoTemplate mongo, RequestStore requests, Clock clock) {
        this.mongo = mongo;
        this.requests = requests;
        this.clock = clock;
    }

    /**
     * @param resident the caller's details, as intake takes a resident's (consent included)
     * @param consentToContact the caller's consent, if given here rather than in {@code resident}
     * @param note what the caller added, for staff and the department (shown with the caller's details)
     */
    record NewReporter(@Valid NewRequest.NewResident resident, Boolean consentToContact,
            @Size(max = 2000) String note) {
    }

    @PostMapping("/api/requests/{id}/reporters")
    Mono<ResponseEntity<RequestView>> add(@PathVariable String id, @Valid @RequestBody NewReporter body,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey, Caller caller) {
        Resident resident = checked(body);
        boolean keyed = idempotencyKey != null && !idempotencyKey.isBlank();
        if (keyed && idempotencyKey.length() > 200) {
            return Mono.error(Problems.invalid("Idempotency-Key", "at most 200 characters"));
        }
        String scopedKey = caller.id() + ":" + (keyed ? idempotencyKey.strip() : UUID.randomUUID());
        String fingerprint = fingerprint(id, resident, body.note());
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String reporterId = UUID.randomUUID().toString();
        AdditionalReporter reporter = new AdditionalReporter(reporterId, resident, blankToNull(body.note()),
                caller.id(), now, scopedKey, fingerprint);
        return mongo.findById(id, ServiceRequest.class)
                .switchIfEmpty(Mono.error(() -> Problems.notFound("No service request " + id + ".")))
                .flatMap(request -> {
                    permitted(caller, request);
                    AdditionalReporter earlier = byKey(request, scopedKey);
                    if (earlier != null) {
                        return replay(request, earlier, fingerprint, caller);
                    }
                    addable(request);
                    return add(request, reporter, caller, now)
                            .map(added -> answer(added, caller, false))
                            // changed meanwhile: added by a racing retry, linked, resolved, transferred... say which
                            .switchIfEmpty(Mono.defer(() -> mongo.findById(id, ServiceRequest.class)
                                    .flatMap(current -> {
                                        permitted(caller, current);
                                        AdditionalReporter raced = byKey(current, scopedKey);
                                        if (raced != null) {
                                            return replay(current, raced, fingerprint, caller);
                                        }
                                        addable(current);
                                        return Mono.error(Problems.conflict("Request " + id + " changed while the "
                                                + "caller was being added; nothing was stored. Try again."));
                                    })));
                });
    }

    /**
     * The caller, their timeline entry and the key in one update, on the condition that nothing the checks read
     * has changed since: still open, not linked, below the limit, the key not used, and for an agent still their
     * department's internal request.
     */
    private Mono<ServiceRequest> add(ServiceRequest request, AdditionalReporter reporter, Caller caller,
            Instant now) {
        StatusChange step = new StatusChange(null, now, request.department(), "Another caller reported this",
                "reporter:" + reporter.id(), now, "internal", KIND, caller.id(), "/city311/request-service");
        // everyone's keys as read, not only the new caller's: a request stored before keys were kept gets them all
        List<ServiceRequest.AdditionalReporter> everyone = new ArrayList<>(request.additionalReporters() == null
                ? List.of() : request.additionalReporters());
        everyone.add(reporter);
        return requests.addReporter(request.id(), reporter, step, CallerKeys.of(request.resident(), everyone), now,
                OPEN, MAX_ADDITIONAL_REPORTERS, caller.has(Role.STAFF) ? null : caller.department());
    }

    /**
     * Staff add a caller to any request; an agent or supervisor, as intake lets them file, only to an internal
     * request their own department asked for (a coworker reporting the same thing).
     */
    private static void permitted(Caller caller, ServiceRequest request) {
        if (caller.has(Role.STAFF)) {
            return;
        }
        if (request.segment() != ServiceRequest.Segment.INTERNAL || caller.department() == null
                || !caller.department().equals(request.requestingDepartment())) {
            throw Problems.forbidden("Agents and supervisors add callers only to internal requests their own "
                    + "department asked for; " + request.id() + " is not one.");
        }
    }

    private static void addable(ServiceRequest request) {
        if (request.duplicateOf() != null) {
            throw Problems.conflict(request.id() + " is linked as a duplicate of " + request.duplicateOf()
                    + "; add the caller there.");
        }
        if (request.status() == null || !OPEN.contains(request.status())) {
            throw Problems.conflict(request.id() + " is " + (request.status() == null ? "not open"
                    : request.status().wireName()) + "; a caller is added to an open request (file a new one, or ask "
                    + "the department to reopen it).");
        }
        if (request.additionalReporters() != null
                && request.additionalReporters().size() >= MAX_ADDITIONAL_REPORTERS) {
            throw Problems.conflict(request.id() + " already has " + MAX_ADDITIONAL_REPORTERS
                    + " additional callers, as many as a request takes.");
        }
    }

    private Mono<ResponseEntity<RequestView>> replay(ServiceRequest request, AdditionalReporter earlier,
            String fingerprint, Caller caller) {
        if (!earlier.fingerprint().equals(fingerprint)) {
            return Mono.error(Problems.invalid("Idempotency-Key",
                    "this key was already used to add a different caller"));
        }
        return Mono.just(answer(request, caller, true));
    }

    private static ResponseEntity<RequestView> answer(ServiceRequest request, Caller caller, boolean repeated) {
        return ResponseEntity.status(HttpStatus.CREATED).location(URI.create("/api/requests/" + request.id()))
                .header("Idempotent-Replayed", String.valueOf(repeated))
                .body(RequestView.forCaller(request, caller));
    }

    private static AdditionalReporter byKey(ServiceRequest request, String scopedKey) {
        if (request.additionalReporters() == null) {
            return null;
        }
        return request.additionalReporters().stream().filter(one -> scopedKey.equals(one.idempotencyKey()))
                .findFirst().orElse(null);
    }

    private static Resident checked(NewReporter body) {
        List<FieldProblem> problems = new ArrayList<>();
        NewRequest.NewResident given = body.resident();
        Boolean consent = body.consentToContact();
        if (given != null) {
            TextRules.check("resident.firstName", given.firstName(), false, problems);
            TextRules.check("resident.lastName", given.lastName(), false, problems);
            if (consent != null && given.consentToContact() != null && !consent.equals(given.consentToContact())) {
                problems.add(new FieldProblem("consentToContact", "says otherwise than resident.consentToContact; "
                        + "give the caller's consent once"));
            }
            consent = consent != null ? consent : given.consentToContact();
        }
        TextRules.check("note", body.note(), true, problems);
        if (!problems.isEmpty()) {
            throw Problems.invalid(problems);
        }
        if (given == null) {
            return new Resident(null, null, null, null, Boolean.TRUE.equals(consent));
        }
        return new Resident(blankToNull(given.firstName()), blankToNull(given.lastName()),
                blankToNull(given.phone()), blankToNull(given.email()), Boolean.TRUE.equals(consent));
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    /** What makes two attempts the same caller: the request, their details and the note. */
    private static String fingerprint(String requestId, Resident resident, String note) {
        String content = requestId + "|" + resident + "|" + note;
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(content.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
