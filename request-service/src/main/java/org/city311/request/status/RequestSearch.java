package org.city311.request.status;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import reactor.core.publisher.Mono;

import org.city311.platform.web.Problems;
import org.city311.platform.web.Problems.FieldProblem;
import org.city311.request.CallerKeys;
import org.city311.request.Channel;
import org.city311.request.RequestStatus;
import org.city311.request.RequestStore;
import org.city311.request.ServiceRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * Staff's search over requests: filters, free text, newest first, and a cursor that stays correct while new
 * requests arrive (the sort is on submission time, then id, and the cursor names the last item seen).
 * <p>
 * Every filter becomes a typed value in the query; free text is matched as a quoted literal, never as a pattern the
 * caller controls.
 */
@Component
class RequestSearch {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final ReactiveMongoTemplate mongo;

    RequestSearch(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    /** The criteria as given on the query string; blank means absent. */
    /** @param duplicateOf the requests linked as duplicates of this one (its other reports) */
    record Criteria311(String status, String department, String serviceCode, String channel, String filedBy,
            String from, String to, String q, String limit, String cursor, String phone, String email,
            String district, String segment, String duplicateOf) {

        Criteria311(String status, String department, String serviceCode, String channel, String filedBy,
                String from, String to, String q, String limit, String cursor) {
            this(status, department, serviceCode, channel, filedBy, from, to, q, limit, cursor, null, null, null,
                    null, null);
        }

        /** Whether it looks for a caller by their phone or e-mail: only for those who see residents' details. */
        boolean byCaller() {
            return present(phone) || present(email);
        }
    }

    record Page(List<ServiceRequest> items, String next) {
    }

    /**
     * The matching requests among those {@code scope} allows (null: all of them), newest first: one store query
     * (the page and one more, to know whether there is a next).
     */
    Mono<Page> search(Criteria311 given, Criteria scope) {
        List<FieldProblem> problems = new ArrayList<>();
        List<Criteria> filters = new ArrayList<>();
        if (scope != null) {
            filters.add(scope);
        }
        if (present(given.status())) {
            filters.add(Criteria.where("status").in(statuses(given.status(), problems)));
        }
        code("department", given.department(), problems).ifPresent(value -> filters.add(Criteria.where("department").is(value)));
        code("serviceCode", given.serviceCode(), problems).ifPresent(value -> filters.add(Criteria.where("serviceCode").is(value)));
        if (present(given.channel())) {
            try {
                filters.add(Criteria.where("channel").is(Channel.fromWireName(given.channel())));
            }
            catch (IllegalArgumentException ex) {
                problems.add(new FieldProblem("channel", ex.getMessage()));
            }
        }
        if (present(given.filedBy())) {
            // what they filed, and the requests they added a caller to: both are their calls
            filters.add(new Criteria().orOperator(Criteria.where("filedBy").is(given.filedBy()),
                    Criteria.where("additionalReporters.addedBy").is(given.filedBy())));
        }
        code("district", given.district(), problems).ifPresent(value -> filters.add(Criteria.where("district").is(value)));
        code("duplicateOf", given.duplicateOf(), problems)
                .ifPresent(value -> filters.add(Criteria.where(RequestStore.DUPLICATE_OF).is(value)));
        if (present(given.segment())) {
            String wanted = given.segment().strip().toUpperCase(Locale.ROOT);
            if (wanted.equals("RESIDENT") || wanted.equals("INTERNAL")) {
                filters.add(Criteria.where("segment").is(ServiceRequest.Segment.valueOf(wanted)));
            }
            else {
                problems.add(new FieldProblem("segment", "resident or internal"));
            }
        }
        if (present(given.phone())) {
            if (given.phone().length() > 40 || CallerKeys.digits(given.phone()).length() < CallerKeys.MIN_PHONE_DIGITS) {
                problems.add(new FieldProblem("phone", "a phone number of at least " + CallerKeys.MIN_PHONE_DIGITS
                        + " digits (any notation)"));
            }
            else {
                filters.add(Criteria.where("callerKeys").is(CallerKeys.phone(given.phone())));
            }
        }
        if (present(given.email())) {
            if (given.email().length() > 254 || CallerKeys.normalisedEmail(given.email()) == null) {
                problems.add(new FieldProblem("email", "an e-mail address"));
            }
            else {
                filters.add(Criteria.where("callerKeys").is(CallerKeys.email(given.email())));
            }
        }
        Instant from = instant("from", given.from(), problems);
        Instant to = instant("to", given.to(), problems);
        if (from != null) {
            filters.add(Criteria.where("submittedAt").gte(from));
        }
        if (to != null) {
            filters.add(Criteria.where("submittedAt").lt(to));
        }
        if (present(given.q())) {
            if (given.q().length() > 100) {
                problems.add(new FieldProblem("q", "at most 100 characters"));
            }
            else {
                String literal = Pattern.quote(given.q().strip());
                filters.add(new Criteria().orOperator(Criteria.where("description").regex(literal, "i"),
                        Criteria.where("location.address").regex(literal, "i")));
            }
        }
        int limit = limit(given.limit(), problems);
        Cursor after = present(given.cursor()) ? Cursor.parse(given.cursor(), problems) : null;
        if (after != null) {
            filters.add(new Criteria().orOperator(Criteria.where("submittedAt").lt(after.submittedAt()),
                    Criteria.where("submittedAt").is(after.submittedAt()).and("_id").lt(after.id())));
        }
        if (!problems.isEmpty()) {
            return Mono.error(Problems.badRequest(problems));
        }
        Query query = new Query(filters.isEmpty() ? new Criteria() : new Criteria().andOperator(filters))
                .with(Sort.by(Sort.Order.desc("submittedAt"), Sort.Order.desc("_id")))
                .limit(limit + 1);
        return mongo.find(query, ServiceRequest.class).collectList().map(found -> {
            boolean more = found.size() > limit;
            List<ServiceRequest> items = more ? found.subList(0, limit) : found;
            ServiceRequest last = items.isEmpty() ? null : items.get(items.size() - 1);
            return new Page(items, more ? new Cursor(last.submittedAt(), last.id()).encode() : null);
        });
    }

    private static List<RequestStatus> statuses(String given, List<FieldProblem> problems) {
        List<RequestStatus> statuses = new ArrayList<>();
        for (String word : given.split(",")) {
            String wanted = word.strip().toLowerCase(Locale.ROOT);
            Arrays.stream(RequestStatus.values()).filter(status -> status.wireName().equals(wanted)).findFirst()
                    .ifPresentOrElse(statuses::add, () -> problems.add(new FieldProblem("status",
                            "'" + wanted + "' is not a status; one of submitted, routed, in_progress, on_hold, "
                                    + "resolved, reopened, closed")));
        }
        return statuses;
    }

    private static Optional<String> code(String field, String given, List<FieldProblem> problems) {
        if (!present(given)) {
            return Optional.empty();
        }
        if (!CODE.matcher(given).matches()) {
            problems.add(new FieldProblem(field, "letters, digits, '.', '_' or '-'"));
            return Optional.empty();
        }
        return Optional.of(given);
    }

    private static Instant instant(String field, String given, List<FieldProblem> problems) {
        if (!present(given)) {
            return null;
        }
        try {
            return Instant.parse(given);
        }
        catch (DateTimeParseException ex) {
            try {
                return OffsetDateTime.parse(given).toInstant();
            }
            catch (DateTimeParseException again) {
                problems.add(new FieldProblem(field, "a date and time such as 2026-11-23T00:00:00Z"));
                return null;
            }
        }
    }

    private static int limit(String given, List<FieldProblem> problems) {
        if (!present(given)) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(given);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        }
        catch (NumberFormatException ex) {
            // reported below
        }
        problems.add(new FieldProblem("limit", "a number from 1 to " + MAX_LIMIT));
        return DEFAULT_LIMIT;
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    /** Where the previous page ended: opaque to clients. */
    record Cursor(Instant submittedAt, String id) {

        String encode() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    (submittedAt.toEpochMilli() + "|" + id).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor parse(String encoded, List<FieldProblem> problems) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8)
                        .split("\\|", 2);
                return new Cursor(Instant.ofEpochMilli(Long.parseLong(parts[0])), parts[1]);
            }
            catch (RuntimeException ex) {
                problems.add(new FieldProblem("cursor", "not a cursor this service gave out"));
                return null;
            }
        }
    }
}
