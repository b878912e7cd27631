package org.city311.deploy.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.ValueComparator;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ValueOrderTests {

    /** Values of every kind an index key or id holds, with the edges of each kind's own order. */
    private static List<Object> values() {
        List<Object> values = new ArrayList<>();
        values.add(null);
        values.add(Missing.getInstance());
        values.addAll(List.of("", "A", "a", "aa", "b", "Parks", "parks", "311-000123", "311-000124", "é", "日本",
                "\uD834\uDD1E", "\uFFFF"));
        values.addAll(List.of(Instant.EPOCH, Instant.parse("1969-12-31T23:59:59Z"),
                Instant.parse("2026-12-08T02:00:00Z"), Instant.parse("2026-12-08T02:00:00.001Z")));
        values.addAll(List.of(new ObjectId("000000000000000000000000"), new ObjectId("5f0000000000000000000001"),
                new ObjectId("ff0000000000000000000000")));
        values.addAll(List.of(true, false));
        values.addAll(List.of(0, 1, 1L, 1.0, -0.0, 2.5, Double.NaN, Long.MAX_VALUE));
        values.add(new Document("a", 1));
        values.add(List.of("a", "b"));
        return values;
    }

    @Test
    void shouldOrderEveryPairAsMongoJavaServerDoesBothWays() {
        List<Object> values = values();
        int fast = 0;
        for (Object a : values) {
            for (Object b : values) {
                assertThat(Integer.signum(ValueOrder.ASCENDING.compare(a, b)))
                        .as("%s against %s, ascending", a, b)
                        .isEqualTo(Integer.signum(ValueComparator.asc().compare(a, b)));
                assertThat(Integer.signum(ValueOrder.DESCENDING.compare(a, b)))
                        .as("%s against %s, descending", a, b)
                        .isEqualTo(Integer.signum(ValueComparator.desc().compare(a, b)));
                if (comparedDirectly(a, b)) {
                    fast++;
                }
            }
        }
        // the pairs the direct comparisons answer (13 strings, 4 dates, 3 ObjectIds, 2 booleans) are among them
        assertThat(fast).isEqualTo(13 * 13 + 4 * 4 + 3 * 3 + 2 * 2);
    }

    private static boolean comparedDirectly(Object a, Object b) {
        return a instanceof String && b instanceof String || a instanceof Instant && b instanceof Instant
                || a instanceof ObjectId && b instanceof ObjectId || a instanceof Boolean && b instanceof Boolean;
    }

    @Test
    void shouldSortKeysAsAnIndexWouldWhateverTheirKinds() {
        List<Object> sorted = new ArrayList<>(values());
        sorted.sort(ValueOrder.ASCENDING);
        List<Object> byLibrary = new ArrayList<>(values());
        byLibrary.sort(ValueComparator.asc());
        assertThat(sorted).containsExactlyElementsOf(byLibrary);
        assertThat(sorted.indexOf("a")).isLessThan(sorted.indexOf("b"));
        assertThat(sorted.indexOf(Instant.EPOCH)).isGreaterThan(sorted.indexOf(true));
    }
}
