package org.city311.routing.quiz;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.city311.contracts.TargetUnit;
import org.city311.routing.catalog.Catalog;

/** A published standard's time, as staff say it to a resident: "10 business days", "1 calendar day". */
final class Targets {

    /** The catalog's units, in words: singular, plural. */
    private static final Map<TargetUnit, String[]> UNITS = Map.of(
            TargetUnit.HOURS, new String[] { "hour", "hours" },
            TargetUnit.BUSINESS_HOURS, new String[] { "business hour", "business hours" },
            TargetUnit.BUSINESS_DAYS, new String[] { "business day", "business days" },
            TargetUnit.CALENDAR_DAYS, new String[] { "calendar day", "calendar days" });

    private Targets() {
    }

    static String say(Catalog.Target target) {
        String[] words = target.knownUnit().map(UNITS::get).orElse(new String[] { target.unit(), target.unit() });
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
        for (TargetUnit unit : UNITS.keySet().stream().sorted(Comparator.comparing(TargetUnit::wireName)).toList()) {
            variants.add(say(new Catalog.Target(target.amount(), unit.wireName())));
        }
        return variants;
    }
}
