package org.city311.request.contact;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.bson.Document;
import reactor.core.publisher.Mono;

import org.city311.platform.web.Problems;
import org.city311.request.RequestStatus;
import org.city311.request.ServiceRequest;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * How a resident agreed to be reached about their resolved request: what feedback-service, under its own identity
 * (the {@code survey-sender} role, and no other), needs to send the survey. Each address is given only with consent,
 * and only once this service's own timeline shows the request resolved: before that, 409, and the sender asks again
 * (the resolution may still be on its way here).
 */
@RestController
class ResidentContactController {

    static final Set<RequestStatus> AFTER_RESOLUTION = EnumSet.of(RequestStatus.RESOLVED, RequestStatus.CLOSED);

    private final ReactiveMongoTemplate mongo;

    ResidentContactController(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    @GetMapping("/api/requests/{id}/contact")
    Mono<Contact> contact(@PathVariable String id) {
        Query onlyWhatIsNeeded = Query.query(Criteria.where("_id").is(id));
        onlyWhatIsNeeded.fields().include("status", "resident.consentToContact", "resident.email",
                "additionalReporters.resident.consentToContact", "additionalReporters.resident.email");
        // Read as a plain document: only these fields leave the store.
        return mongo.findOne(onlyWhatIsNeeded, Document.class, ServiceRequest.COLLECTION)
                .switchIfEmpty(Mono.error(() -> Problems.notFound("No service request " + id + ".")))
                .flatMap(request -> {
                    // stored by its name, as Spring Data writes enums
                    String stored = request.getString("status");
                    RequestStatus status = stored == null ? null : RequestStatus.valueOf(stored);
                    if (!AFTER_RESOLUTION.contains(status)) {
                        return Mono.error(Problems.conflict("Service request " + id + " is not resolved here yet ("
                                + (status == null ? "unknown" : status.wireName()) + "); ask again once it is."));
                    }
                    return Mono.just(Contact.of(id, request.get("resident", Document.class),
                            request.getList("additionalReporters", Document.class, List.of())));
                });
    }

    /**
     * @param consentToContact whether the resident agreed to be contacted about the request
     * @param email their address, only when they agreed and gave one
     * @param additionalRecipients the addresses of the callers added to the request who agreed to be contacted,
     *        each once, without the resident's own; empty when none
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Contact(String requestId, boolean consentToContact, String email, List<String> additionalRecipients) {

        static Contact of(String requestId, Document resident, List<Document> additionalReporters) {
            String email = consentedAddress(resident);
            Set<String> seen = new HashSet<>();
            if (email != null) {
                seen.add(email.toLowerCase(Locale.ROOT));
            }
            List<String> additional = new ArrayList<>();
            for (Document reporter : additionalReporters) {
                String address = consentedAddress(reporter.get("resident", Document.class));
                if (address != null && seen.add(address.toLowerCase(Locale.ROOT))) {
                    additional.add(address);
                }
            }
            boolean consent = resident != null && Boolean.TRUE.equals(resident.getBoolean("consentToContact"));
            return new Contact(requestId, consent, email, List.copyOf(additional));
        }

        private static String consentedAddress(Document resident) {
            if (resident == null || !Boolean.TRUE.equals(resident.getBoolean("consentToContact"))) {
                return null;
            }
            String email = resident.getString("email");
            return email == null || email.isBlank() ? null : email.strip();
        }
    }
}
