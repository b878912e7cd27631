package org.city311.routing.work;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import reactor.core.publisher.Mono;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * A department's queue as staff page through it: most urgent first (by resolution due time, then routing time, then
 * request id; work without a due time after all work with one), a page at a time after a {@link QueueCursor}, each
 * page one query sorted and limited by the store (one more when a page runs from dated into undated work), never
 * the whole queue.
 * <p>
 * Each answer also says until when it stays true without any write ({@link Page#validUntil()}): an item's
 * {@code dueSoon} and {@code overdue} flags, and which items an {@code overdue} filter lets through, change with time
 * alone. A queue's {@code ETag} lives no longer than that, and never longer than {@link #STALE_AT_MOST}.
 */
@Component
class DepartmentQueue {

    /**
     * The longest an answer is taken as unchanged without reading the work: covers a crash between an item's write
     * and its department's {@link QueueChanges} raise.
     */
    static final Duration STALE_AT_MOST = Duration.ofMinutes(5);
    private static final Sort DATED_ORDER = Sort.by("resolutionDueAt", "routedAt", "_id");
    private static final Sort UNDATED_ORDER = Sort.by("routedAt", "_id");

    private final ReactiveMongoTemplate mongo;

    DepartmentQueue(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    /**
     * What a queue lists. The views and the older parameters narrow it together.
     *
     * @param statuses the statuses listed; none: the filter matches nothing
     * @param agent whose work only; null for anyone's
     * @param unassigned only work no agent has
     * @param overdue only overdue work (true), only work that is not (false), or either (null)
     * @param nothing the parameters contradict each other (such as {@code view=mine} and another {@code agent})
     */
    record Filter(Set<WorkStatus> statuses, String agent, boolean unassigned, Boolean overdue, boolean nothing) {

        Filter {
            statuses = statuses.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(statuses));
        }

        boolean matchesNothing() {
            return nothing || statuses.isEmpty();
        }
    }

    /**
     * @param items the page, most urgent first
     * @param next where the next page starts; null on the last page
     * @param validUntil until when this page stays as it is unless work of the department is written
     */
    record Page(List<WorkItem> items, QueueCursor next, Instant validUntil) {
    }

    /** How much work each view of the queue holds, for one caller ({@code mine}); see {@link #counts}. */
    record Counts(long all, long mine, long unassigned, long onHold, long overdue, Instant validUntil) {
    }

    /** One page of {@code limit} items after {@code after} (null: the first page). */
    Mono<Page> page(String department, Filter filter, QueueCursor after, int limit, Instant now) {
        Instant bound = now.plus(STALE_AT_MOST);
        if (filter.matchesNothing()) {
            return Mono.just(new Page(List.of(), null, bound));
        }
        Mono<List<WorkItem>> fetched;
        if (after != null && after.inUndatedPart()) {
            fetched = undated(department, filter, after, limit + 1, now);
        }
        else {
            fetched = dated(department, filter, after, limit + 1, now).flatMap(dated -> {
                // overdue work always has a due time; the undated part is read only once the dated one ran out
                if (dated.size() > limit || Boolean.TRUE.equals(filter.overdue())) {
                    return Mono.just(dated);
                }
                return undated(department, filter, null, limit + 1 - dated.size(), now).map(undated -> {
                    List<WorkItem> both = new ArrayList<>(dated);
                    both.addAll(undated);
                    return both;
                });
            });
        }
        return fetched.map(items -> {
            Instant validUntil = bound;
            List<WorkItem> shown = new ArrayList<>();
            boolean more = false;
            for (WorkItem item : items) {
                validUntil = earliest(validUntil, nextFlagChange(item, now));
                if (Boolean.TRUE.equals(filter.overdue()) && !overdue(item, now)) {
                    // sorted by due time: the first that is not overdue ends the view (until it is overdue too)
                    break;
                }
                if (shown.size() == limit) {
                    more = true;
                    break;
                }
                shown.add(item);
            }
            return new Page(List.copyOf(shown), more ? QueueCursor.after(shown.get(shown.size() - 1)) : null,
                    validUntil);
        });
    }

    /**
     * The department's open work counted by view, for {@code agent}'s {@code mine}: one query of the open work's
     * status, agent and due time (no descriptions, no id: the queue index holds all of it, so the store answers from
     * the index without reading the documents), counted here.
     */
    Mono<Counts> counts(String department, String agent, Instant now) {
        Query open = Query.query(Criteria.where("department").is(department).and("status").in(WorkStatus.OPEN));
        open.fields().include("status", "agent", "resolutionDueAt").exclude("_id");
        return mongo.find(open, org.bson.Document.class, WorkItem.COLLECTION).collectList().map(items -> {
            long mine = 0;
            long unassigned = 0;
            long onHold = 0;
            long overdue = 0;
            Instant validUntil = now.plus(STALE_AT_MOST);
            for (org.bson.Document item : items) {
                String owner = item.getString("agent");
                mine += owner != null && owner.equals(agent) ? 1 : 0;
                unassigned += owner == null ? 1 : 0;
                onHold += WorkStatus.ON_HOLD.name().equals(item.getString("status")) ? 1 : 0;
                java.util.Date due = item.getDate("resolutionDueAt");
                if (due != null && now.isAfter(due.toInstant())) {
                    overdue++;
                }
                else if (due != null) {
                    validUntil = earliest(validUntil, due.toInstant());
                }
            }
            return new Counts(items.size(), mine, unassigned, onHold, overdue, validUntil);
        });
    }

    /** Open and past its resolution due time. */
    static boolean overdue(WorkItem item, Instant now) {
        return WorkStatus.OPEN.contains(item.status()) && item.resolutionDueAt() != null
                && now.isAfter(item.resolutionDueAt());
    }

    /** Open, not overdue, with three quarters of its allowed time gone. */
    static boolean dueSoon(WorkItem item, Instant now) {
        Instant from = dueSoonFrom(item);
        return from != null && !overdue(item, now) && now.isAfter(from);
    }

    /** When {@link #dueSoon} or {@link #overdue} next changes for this item with time alone; null if never. */
    static Instant nextFlagChange(WorkItem item, Instant now) {
        if (!WorkStatus.OPEN.contains(item.status()) || item.resolutionDueAt() == null) {
            return null;
        }
        Instant soon = dueSoonFrom(item);
        if (soon != null && !now.isAfter(soon)) {
            return soon;
        }
        return now.isAfter(item.resolutionDueAt()) ? null : item.resolutionDueAt();
    }

    private static Instant dueSoonFrom(WorkItem item) {
        Instant due = item.resolutionDueAt();
        if (!WorkStatus.OPEN.contains(item.status()) || due == null || item.routedAt() == null) {
            return null;
        }
        return item.routedAt().plus(Duration.between(item.routedAt(), due).multipliedBy(3).dividedBy(4));
    }

    private Mono<List<WorkItem>> dated(String department, Filter filter, QueueCursor after, int limit, Instant now) {
        List<Criteria> all = matching(department, filter, now);
        all.add(Criteria.where("resolutionDueAt").ne(null));
        if (after != null) {
            all.add(new Criteria().orOperator(
                    Criteria.where("resolutionDueAt").gt(after.resolutionDueAt()),
                    Criteria.where("resolutionDueAt").is(after.resolutionDueAt()).and("routedAt")
                            .gt(after.routedAt()),
                    Criteria.where("resolutionDueAt").is(after.resolutionDueAt()).and("routedAt")
                            .is(after.routedAt()).and("_id").gt(after.requestId())));
        }
        return find(all, DATED_ORDER, limit);
    }

    private Mono<List<WorkItem>> undated(String department, Filter filter, QueueCursor after, int limit,
            Instant now) {
        List<Criteria> all = matching(department, filter, now);
        all.add(Criteria.where("resolutionDueAt").is(null));
        if (after != null) {
            all.add(new Criteria().orOperator(Criteria.where("routedAt").gt(after.routedAt()),
                    Criteria.where("routedAt").is(after.routedAt()).and("_id").gt(after.requestId())));
        }
        return find(all, UNDATED_ORDER, limit);
    }

    private Mono<List<WorkItem>> find(List<Criteria> all, Sort order, int limit) {
        Query query = Query.query(new Criteria().andOperator(all)).with(order).limit(limit);
        return mongo.find(query, WorkItem.class).collectList();
    }

    /** The filter as the store's criteria (an {@code overdue=true} filter is applied on the sorted result). */
    private static List<Criteria> matching(String department, Filter filter, Instant now) {
        List<Criteria> all = new ArrayList<>();
        Criteria where = Criteria.where("department").is(department).and("status").in(filter.statuses());
        if (filter.agent() != null) {
            where = where.and("agent").is(filter.agent());
        }
        else if (filter.unassigned()) {
            where = where.and("agent").is(null);
        }
        all.add(where);
        if (Boolean.FALSE.equals(filter.overdue())) {
            // not overdue: not open, or no due time, or not past it
            all.add(new Criteria().orOperator(Criteria.where("status").nin(WorkStatus.OPEN),
                    Criteria.where("resolutionDueAt").is(null), Criteria.where("resolutionDueAt").gte(now)));
        }
        return all;
    }

    private static Instant earliest(Instant current, Instant candidate) {
        return candidate != null && candidate.isBefore(current) ? candidate : current;
    }
}
