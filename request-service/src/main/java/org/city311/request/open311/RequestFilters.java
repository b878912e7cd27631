package org.city311.request.open311;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.city311.request.RequestStatus;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

/**
 * The filters of GET requests as a store query. Every argument is parsed into a typed value first (moments,
 * statuses, codes checked against their pattern), so no text a client sends becomes part of a query's structure.
 * <ul>
 * <li>{@code service_request_id} (comma list) overrides every other filter;</li>
 * <li>{@code service_code} (comma list), {@code status} ({@code open}, {@code closed}, comma list);</li>
 * <li>{@code start_date}/{@code end_date} on requested_datetime and {@code updated_after}/{@code updated_before}
 * on updated_datetime: each pair spans at most 90 days; one end given alone sets the other 90 days away (or now);
 * with no date at all, the last 90 days;</li>
 * <li>{@code page}/{@code page_size} (default 50, at most 500); without either, the first 1000 results.</li>
 * </ul>
 * Newest first, ties broken by id, so pages are stable.
 */
final class RequestFilters {

    static final Duration MAX_SPAN = Duration.ofDays(90);
    static final int DEFAULT_LIMIT = 1000;
    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 500;
    static final int MAX_PAGE = 10_000;
    private static final Pattern SERVICE_CODE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Sort NEWEST_FIRST = Sort.by(Sort.Order.desc("submittedAt"), Sort.Order.desc("_id"));

    private RequestFilters() {
    }

    static Query query(Parameters parameters, Instant now) {
        List<String> ids = parameters.list("service_request_id");
        if (!ids.isEmpty()) {
            // An id of another shape cannot exist; it simply matches nothing.
            List<String> wellFormed = ids.stream().filter(id -> REQUEST_ID.matcher(id).matches()).toList();
            return Query.query(Criteria.where("_id").in(wellFormed)).with(NEWEST_FIRST).limit(ids.size());
        }
        List<String> problems = new ArrayList<>();
        Query query = new Query().with(NEWEST_FIRST);

        List<String> codes = parameters.list("service_code");
        codes.stream().filter(code -> !SERVICE_CODE.matcher(code).matches()).findFirst().ifPresent(code -> problems
                .add("service_code: '" + Parameters.abbreviate(code) + "' is not a service code"));
        if (!codes.isEmpty()) {
            query.addCriteria(Criteria.where("serviceCode").in(codes));
        }

        Set<RequestStatus> statuses = EnumSet.noneOf(RequestStatus.class);
        for (String status : parameters.list("status")) {
            switch (status) {
                case "open" -> statuses.addAll(RequestRecords.OPEN);
                case "closed" -> statuses.addAll(RequestRecords.CLOSED);
                default -> problems.add("status: '" + Parameters.abbreviate(status) + "' is not open or closed");
            }
        }
        if (!statuses.isEmpty() && statuses.size() < RequestStatus.values().length) {
            query.addCriteria(Criteria.where("status").in(statuses));
        }

        Instant start = parameters.datetime("start_date");
        Instant end = parameters.datetime("end_date");
        Instant updatedAfter = parameters.datetime("updated_after");
        Instant updatedBefore = parameters.datetime("updated_before");
        if (start == null && end == null && updatedAfter == null && updatedBefore == null) {
            query.addCriteria(Criteria.where("submittedAt").gte(now.minus(MAX_SPAN)));
        }
        else {
            Criteria requested = window("submittedAt", "start_date", "end_date", start, end, null, problems);
            if (requested != null) {
                query.addCriteria(requested);
            }
            Criteria updated = window("updatedAt", "updated_after", "updated_before", updatedAfter, updatedBefore,
                    now, problems);
            if (updated != null) {
                query.addCriteria(updated);
            }
        }

        Integer page = parameters.integer("page", 1, MAX_PAGE);
        Integer pageSize = parameters.integer("page_size", 1, MAX_PAGE_SIZE);
        if (!problems.isEmpty()) {
            throw Open311Exception.badRequest(problems);
        }
        if (page == null && pageSize == null) {
            return query.limit(DEFAULT_LIMIT);
        }
        int size = pageSize == null ? DEFAULT_PAGE_SIZE : pageSize;
        return query.skip((long) ((page == null ? 1 : page) - 1) * size).limit(size);
    }

    /**
     * A window on one field: from inclusive; to inclusive to the second, since datetimes are shown to the second.
     *
     * @param openEnd where a window given only its start ends (now for updated_*), or null for 90 days later
     */
    private static Criteria window(String field, String fromName, String toName, Instant from, Instant to,
            Instant openEnd, List<String> problems) {
        if (from == null && to == null) {
            return null;
        }
        if (from == null) {
            from = to.minus(MAX_SPAN);
        }
        if (to == null) {
            to = openEnd != null && openEnd.isAfter(from) ? openEnd : from.plus(MAX_SPAN);
        }
        if (to.isBefore(from)) {
            problems.add(toName + " is before " + fromName);
            return null;
        }
        if (Duration.between(from, to).compareTo(MAX_SPAN) > 0) {
            problems.add(fromName + " to " + toName + ": at most " + MAX_SPAN.toDays() + " days apart");
            return null;
        }
        return Criteria.where(field).gte(from).lt(endOfSecond(to));
    }

    static Instant endOfSecond(Instant instant) {
        Instant whole = instant.truncatedTo(ChronoUnit.SECONDS);
        return whole.equals(instant) ? whole.plusSeconds(1) : instant.plusNanos(1);
    }
}
