package org.city311.routing.quiz;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.city311.routing.calendar.DueTimes;
import org.city311.routing.catalog.Catalog;

/** A published standard's time, as staff say it to a resident: "10 business days", "1 calendar day". */
final class Targets {

    /** The catalog's units ({@link DueTimes}), in words: singular, plural. */
    private static final Map<String, String[]> UNITS = Map.of(
            DueTimes.HOURS, new String[] { "hour", "hours" },
            DueTimes.BUSINESS_HOURS, new String[] { "business hour", "business hours" },
            DueTimes.BUSINESS_DAYS, new String[] { "business day", "business days" },
            DueTimes.CALENDAR_DAYS, new String[] { "calendar day", "calendar days" });

    private Targets() {
    }

    static String say(Catalog.Target target) {
        String[] words = UNITS.getOrDefault(target.unit(), new String[] { target.unit(), target.unit() });
        return target.amount() + " " + (target.amount() == 1 ? words[0] : words[1]);
    }

    /** Times a standard could plausibly be, near this one: when the catalog publishes too few others. */
    static Set<String> variants(Catalog.Target target) {
        Set<String> variants = new LinkedHashSet<>();
        variants.add(say(new Catalog.Target(target.amount() * 2, target.unit())));
        if (target.amount() > 1) {
            variants.add(say(new Catalog.Target(Math.max(1, target.amount() / 2), target.unit())));
        }
        variants.add(say(new Catalog.Target(target.amount() * 3, target.unit())));
        for (String unit : UNITS.keySet().stream().sorted().toList()) {
            variants.add(say(new Catalog.Target(target.amount(), unit)));
        }
        return variants;
    }
}
