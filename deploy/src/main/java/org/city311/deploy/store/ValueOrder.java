package org.city311.deploy.store;

import java.time.Instant;
import java.util.Comparator;

import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.ObjectId;

/**
 * MongoDB's order of values as mongo-java-server compares them ({@link ValueComparator}), with the pairs the indexes
 * hold most (two strings, two dates, two ObjectIds, two booleans) compared directly. The library's comparator finds
 * each value's type by walking its list of types with {@code Class.isAssignableFrom} on every comparison: a storm's
 * profile of the store spent a sixth of its CPU there, in the secondary indexes' tree lookups. Any other pair (a
 * number, whose kinds compare by value; null or missing; documents, lists) is left to the library, so both orders are
 * the same on every pair ({@code ValueOrderTests}).
 */
final class ValueOrder implements Comparator<Object> {

    static final ValueOrder ASCENDING = new ValueOrder(ValueComparator.asc(), false);
    static final ValueOrder DESCENDING = new ValueOrder(ValueComparator.desc(), true);

    private final ValueComparator library;
    private final boolean descending;

    private ValueOrder(ValueComparator library, boolean descending) {
        this.library = library;
        this.descending = descending;
    }

    @Override
    public int compare(Object a, Object b) {
        int compared;
        if (a instanceof String first && b instanceof String second) {
            compared = first.compareTo(second);
        }
        else if (a instanceof Instant first && b instanceof Instant second) {
            compared = first.compareTo(second);
        }
        else if (a instanceof ObjectId first && b instanceof ObjectId second) {
            compared = first.compareTo(second);
        }
        else if (a instanceof Boolean first && b instanceof Boolean second) {
            compared = Boolean.compare(first, second);
        }
        else {
            return library.compare(a, b);
        }
        return descending ? -compared : compared;
    }
}
