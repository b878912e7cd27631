package org.city311.routing.rules;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

import org.city311.routing.catalog.Catalog;
import org.city311.routing.catalog.ServiceCatalog;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Picks the department for a new request, using the rules of the catalog in force. The rules are tried in this
 * order; the first that matches decides, and within one kind the rules are tried in the order of the file:
 * <ol>
 * <li>{@code service-code} rules: every request for the service goes to the rule's department (rule
 * {@code service-code});</li>
 * <li>{@code district} rules, when the request has a location: the location lies in one of the rule's districts
 * (on a border counts as inside; rule {@code district:<district>});</li>
 * <li>{@code attribute} rules: the request answered the attribute with one of the rule's value keys (rule
 * {@code attribute:<attribute>=<value>});</li>
 * <li>{@code keyword} rules, for the {@code other} service only: the description contains one of the rule's words
 * or phrases, as whole words and ignoring case and punctuation (rule {@code keyword:<keyword>});</li>
 * <li>the department that provides the service in the catalog (rule {@code service-owner});</li>
 * <li>the {@code triage} desk, whose agents route by hand, for an unknown service or an {@code other} request that
 * no keyword matched (rule {@code fallback-triage}).</li>
 * </ol>
 * The decision also names the district the location lies in, whichever rule matched.
 */
@Component
public class RoutingRules {

    private final Supplier<Catalog> catalog;

    @Autowired
    RoutingRules(ServiceCatalog catalog) {
        this(catalog::current);
    }

    RoutingRules(Supplier<Catalog> catalog) {
        this.catalog = catalog;
    }

    public RoutingDecision route(RoutingInput input) {
        Catalog current = catalog.get();
        String code = input.serviceCode();
        String district = input.hasLocation()
                ? current.districtAt(input.latitude(), input.longitude()).map(Catalog.District::code).orElse(null)
                : null;
        for (Catalog.Rule rule : current.rules(Catalog.Rule.SERVICE_CODE)) {
            if (rule.service().equals(code)) {
                return new RoutingDecision(rule.department(), RoutingDecision.BY_SERVICE_CODE, district);
            }
        }
        if (district != null) {
            for (Catalog.Rule rule : current.rules(Catalog.Rule.DISTRICT)) {
                if (rule.service().equals(code) && rule.districts().contains(district)) {
                    return new RoutingDecision(rule.department(), RoutingDecision.byDistrict(district), district);
                }
            }
        }
        for (Catalog.Rule rule : current.rules(Catalog.Rule.ATTRIBUTE)) {
            if (rule.service().equals(code)) {
                Optional<String> value = answered(input.attributes().get(rule.attribute()), rule);
                if (value.isPresent()) {
                    return new RoutingDecision(rule.department(),
                            RoutingDecision.byAttribute(rule.attribute(), value.get()), district);
                }
            }
        }
        if (Catalog.OTHER.equals(code)) {
            String words = Words.of(input.description());
            for (Catalog.Rule rule : current.rules(Catalog.Rule.KEYWORD)) {
                for (String keyword : rule.keywords()) {
                    if (Words.containsPhrase(words, Words.of(keyword))) {
                        return new RoutingDecision(rule.department(), RoutingDecision.byKeyword(keyword), district);
                    }
                }
            }
            return new RoutingDecision(Catalog.TRIAGE, RoutingDecision.FALLBACK, district);
        }
        return current.service(code)
                .map(service -> new RoutingDecision(service.department(), RoutingDecision.SERVICE_OWNER, district))
                .orElseGet(() -> new RoutingDecision(Catalog.TRIAGE, RoutingDecision.FALLBACK, district));
    }

    /** The first of the rule's value keys that the answer holds: one key, or one of a list of keys. */
    private static Optional<String> answered(Object answer, Catalog.Rule rule) {
        if (answer == null) {
            return Optional.empty();
        }
        for (String value : rule.values()) {
            boolean holds = answer instanceof Collection<?> keys
                    ? keys.stream().anyMatch(key -> key != null && value.equals(String.valueOf(key)))
                    : value.equals(String.valueOf(answer));
            if (holds) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    /** Text as the keyword rules compare it: lower case, words separated by one space, no punctuation. */
    static final class Words {

        private Words() {
        }

        static String of(String text) {
            if (text == null) {
                return "";
            }
            return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").trim();
        }

        /** Whether the phrase occurs in the text as whole words. */
        static boolean containsPhrase(String words, String phrase) {
            return !phrase.isEmpty() && (" " + words + " ").contains(" " + phrase + " ");
        }
    }
}
