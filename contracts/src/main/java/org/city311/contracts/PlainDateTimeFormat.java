package org.city311.contracts;

import java.util.concurrent.atomic.LongAdder;

import com.networknt.schema.ExecutionContext;
import com.networknt.schema.format.DateTimeFormat;
import com.networknt.schema.format.Format;

/**
 * The schemas' {@code date-time} format, with the plain times every producer writes judged by {@link Rfc3339}: the
 * validator's own check builds java.time formatters and parse contexts for each of an event's several times, which
 * was the largest part of checking an event. Any other value gets the validator's own verdict, unchanged.
 */
final class PlainDateTimeFormat implements Format {

    /** Times judged plain here, for the test that shows the schemas use this format. */
    static final LongAdder PLAIN = new LongAdder();

    private final DateTimeFormat general = new DateTimeFormat();

    @Override
    public String getName() {
        return general.getName();
    }

    @Override
    public String getMessageKey() {
        return general.getMessageKey();
    }

    @Override
    public boolean matches(ExecutionContext context, String value) {
        if (Rfc3339.instant(value) != null) {
            PLAIN.increment();
            return true;
        }
        return general.matches(context, value);
    }
}
