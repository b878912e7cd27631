package org.city311.routing.catalog;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a catalog's routing rules: each of a known kind, naming a known department, service, district, attribute
 * and values, with nothing a rule of its kind does not read.
 */
final class RuleChecks {

    private RuleChecks() {
    }

    /** Where the {@code rules} key and each of its rules start in the file; 0 where unknown. */
    record RuleLines(int key, List<Integer> rules) {

        static RuleLines of(CatalogLoader.Lines lines) {
            List<Integer> rules = new ArrayList<>();
            for (int i = 0; lines.of("/rules/" + i) > 0; i++) {
                rules.add(lines.of("/rules/" + i));
            }
            return new RuleLines(lines.of("/rules"), rules);
        }

        String where(int index, Catalog.Rule rule) {
            int line = index < rules.size() ? rules.get(index) : key;
            return "rule " + (index + 1) + " (" + (rule.kind() == null ? "" : rule.kind() + ", ")
                    + (index < rules.size() ? "line " : "under 'rules' at line ") + line + ")";
        }
    }

    static void check(Catalog catalog, RuleLines lines, DistrictChecks.DistrictsRead districts, List<String> problems) {
        Set<String> departments = new HashSet<>();
        catalog.departments().forEach(department -> departments.add(department.code()));
        Map<String, Catalog.Service> services = new LinkedHashMap<>();
        catalog.services().forEach(service -> services.putIfAbsent(service.code(), service));
        List<Catalog.Rule> rules = catalog.rules();
        for (int i = 0; i < rules.size(); i++) {
            Catalog.Rule rule = rules.get(i);
            String where = lines.where(i, rule);
            if (rule.kind() == null || !Catalog.Rule.KINDS.contains(rule.kind())) {
                problems.add(where + ": kind '" + rule.kind() + "' is not one of " + Catalog.Rule.KINDS);
                continue;
            }
            if (rule.department() == null) {
                problems.add(where + ": no department");
            }
            else if (!departments.contains(rule.department())) {
                problems.add(where + ": unknown department '" + rule.department() + "'");
            }
            unexpected(rule, where, problems);
            if (rule.kind().equals(Catalog.Rule.KEYWORD)) {
                checkKeywordRule(rule, where, services, problems);
                continue;
            }
            Catalog.Service service = rule.service() == null ? null : services.get(rule.service());
            if (rule.service() == null) {
                problems.add(where + ": no service");
            }
            else if (service == null) {
                problems.add(where + ": unknown service '" + rule.service() + "'");
            }
            if (rule.kind().equals(Catalog.Rule.DISTRICT)) {
                if (rule.districts().isEmpty()) {
                    problems.add(where + ": a district rule needs districts");
                }
                for (String district : rule.districts()) {
                    if (!districts.unreadable() && !districts.declared().contains(district)) {
                        problems.add(where + ": unknown district '" + district + "'"
                                + (catalog.districts() == null ? " (the catalog names no districts file)" : ""));
                    }
                }
            }
            if (rule.kind().equals(Catalog.Rule.ATTRIBUTE) && service != null) {
                checkAttributeRule(rule, where, service, problems);
            }
        }
    }

    private static void checkKeywordRule(Catalog.Rule rule, String where, Map<String, Catalog.Service> services,
            List<String> problems) {
        if (rule.service() != null && !rule.service().equals(Catalog.OTHER)) {
            problems.add(where + ": keyword rules route requests for service '" + Catalog.OTHER + "' only, not '"
                    + rule.service() + "'");
        }
        if (!services.containsKey(Catalog.OTHER)) {
            problems.add(where + ": keyword rules need a service '" + Catalog.OTHER + "'");
        }
        if (rule.keywords().isEmpty()) {
            problems.add(where + ": a keyword rule needs keywords");
        }
        for (String keyword : rule.keywords()) {
            if (keyword == null || keyword.replaceAll("[^\\p{L}\\p{N}]+", "").isEmpty()) {
                problems.add(where + ": keyword '" + keyword + "' has no letters or digits");
            }
        }
    }

    private static void checkAttributeRule(Catalog.Rule rule, String where, Catalog.Service service,
            List<String> problems) {
        Optional<Catalog.Attribute> attribute = rule.attribute() == null ? Optional.empty()
                : service.attributes().stream().filter(a -> rule.attribute().equals(a.code())).findFirst();
        if (rule.attribute() == null) {
            problems.add(where + ": no attribute");
            return;
        }
        if (attribute.isEmpty()) {
            problems.add(where + ": service '" + service.code() + "' has no attribute '" + rule.attribute() + "'");
            return;
        }
        if (attribute.get().values().isEmpty()) {
            problems.add(where + ": attribute '" + rule.attribute() + "' of service '" + service.code()
                    + "' is not a list of values to choose from");
            return;
        }
        if (rule.values().isEmpty()) {
            problems.add(where + ": an attribute rule needs values");
        }
        Set<String> keys = new HashSet<>();
        attribute.get().values().forEach(value -> keys.add(value.key()));
        for (String value : rule.values()) {
            if (!keys.contains(value)) {
                problems.add(where + ": attribute '" + rule.attribute() + "' of service '" + service.code()
                        + "' has no value '" + value + "'");
            }
        }
    }

    /** A field set that the rule's kind does not read is a mistake: the author meant something else. */
    private static void unexpected(Catalog.Rule rule, String where, List<String> problems) {
        Map<String, Boolean> present = new LinkedHashMap<>();
        present.put("districts", !rule.districts().isEmpty());
        present.put("attribute", rule.attribute() != null);
        present.put("values", !rule.values().isEmpty());
        present.put("keywords", !rule.keywords().isEmpty());
        Set<String> allowed = switch (rule.kind()) {
            case Catalog.Rule.DISTRICT -> Set.of("districts");
            case Catalog.Rule.ATTRIBUTE -> Set.of("attribute", "values");
            case Catalog.Rule.KEYWORD -> Set.of("keywords");
            default -> Set.of();
        };
        present.forEach((field, set) -> {
            if (set && !allowed.contains(field)) {
                problems.add(where + ": a " + rule.kind() + " rule takes no '" + field + "'");
            }
        });
    }
}
