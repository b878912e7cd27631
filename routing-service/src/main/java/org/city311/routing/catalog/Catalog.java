package org.city311.routing.catalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonIgnore;

import org.city311.routing.rules.geo.Area;

/**
 * The service catalog: which department provides which service, and to what published standard, and the rules
 * that route a request elsewhere. Immutable; a new version replaces the old one whole.
 *
 * @param districts the GeoJSON file of the city's districts, relative to the catalog file; null if none
 * @param rules the routing rules, in file order (see {@code RoutingRules} for the order they are tried in)
 * @param districtMap the districts read from that file, in file order; not part of the catalog file itself
 */
public record Catalog(String catalogVersion, City city, List<Department> departments, List<Service> services,
        String districts, List<Rule> rules, @JsonIgnore List<District> districtMap) {

    /** The department that routes by hand whatever no rule matches. */
    public static final String TRIAGE = "triage";

    /** The service whose requests are routed by the words of their description. */
    public static final String OTHER = "other";

    public Catalog {
        departments = departments == null ? List.of() : List.copyOf(departments);
        services = services == null ? List.of() : List.copyOf(services);
        rules = rules == null ? List.of() : List.copyOf(rules);
        districtMap = districtMap == null ? List.of() : List.copyOf(districtMap);
    }

    /** The same catalog with the districts read from its districts file. */
    public Catalog withDistrictMap(List<District> districtMap) {
        return new Catalog(catalogVersion, city, departments, services, districts, rules, districtMap);
    }

    /** The same catalog with other rules: for tests and tools that try a rule before it goes in the file. */
    public Catalog withRules(List<Rule> rules) {
        return new Catalog(catalogVersion, city, departments, services, districts, rules, districtMap);
    }

    public Optional<District> district(String code) {
        return districtMap.stream().filter(district -> district.code().equals(code)).findFirst();
    }

    /** The district a point lies in (on a border: the first of the file), or empty outside every district. */
    public Optional<District> districtAt(double latitude, double longitude) {
        return districtMap.stream().filter(district -> district.area().contains(longitude, latitude)).findFirst();
    }

    /** The rules of one kind, in file order. */
    public List<Rule> rules(String kind) {
        return rules.stream().filter(rule -> kind.equals(rule.kind())).toList();
    }

    public Optional<Service> service(String code) {
        return Optional.ofNullable(servicesByCode().get(code));
    }

    public Optional<Department> department(String code) {
        return departments.stream().filter(department -> department.code().equals(code)).findFirst();
    }

    private Map<String, Service> servicesByCode() {
        return services.stream().collect(Collectors.toMap(Service::code, Function.identity()));
    }

    public record City(String name, String timeZone, Bounds bounds) {
    }

    public record Bounds(double south, double west, double north, double east) {
    }

    /**
     * A department, and how it hands new work to its agents.
     *
     * @param assignment {@code none} (the default: an agent takes work on with {@code accept}), {@code round-robin}
     *        (each new piece of work to the next agent of the list, in turn) or {@code least-loaded} (to the agent
     *        with the fewest open pieces of work, the first of the list on a tie)
     * @param agents the agents work is assigned to, in order; needed unless the assignment is {@code none}
     */
    public record Department(String code, String name, String mission, Contact contact, Hours hours,
            String assignment, List<String> agents) {

        public static final String NO_ASSIGNMENT = "none";
        public static final String ROUND_ROBIN = "round-robin";
        public static final String LEAST_LOADED = "least-loaded";
        public static final List<String> ASSIGNMENTS = List.of(NO_ASSIGNMENT, ROUND_ROBIN, LEAST_LOADED);

        public Department {
            assignment = assignment == null ? NO_ASSIGNMENT : assignment;
            agents = agents == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(agents));
        }

        /** Whether new work is given to one of its agents when it arrives, rather than waiting to be accepted. */
        public boolean assignsAgents() {
            return !NO_ASSIGNMENT.equals(assignment) && !agents.isEmpty();
        }
    }

    public record Contact(String phone, String email, String url) {
    }

    /**
     * When a department works: business-hour standards count only these hours.
     *
     * @param weekly opening hours per lower-case day name, as "08:00-17:00"; a day not listed is closed
     */
    public record Hours(String timeZone, Map<String, String> weekly, List<String> holidays) {

        public Hours {
            weekly = weekly == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(weekly));
            holidays = holidays == null ? List.of() : List.copyOf(holidays);
        }
    }

    /** An Open311 service and the department that provides it. */
    public record Service(String code, String name, String group, List<String> keywords, String description,
            String department, String type, Standard standard, List<Attribute> attributes) {

        public Service {
            keywords = keywords == null ? List.of() : List.copyOf(keywords);
            attributes = attributes == null ? List.of() : List.copyOf(attributes);
            type = type == null ? "realtime" : type;
        }
    }

    /** The department's published performance standard for a service. */
    public record Standard(Target firstAction, Target resolution, boolean pauseOnHold) {
    }

    /** @param unit one of hours, business_hours, business_days, calendar_days */
    public record Target(int amount, String unit) {
    }

    /** An Open311 attribute: a question asked when the service is requested. */
    public record Attribute(String code, String datatype, boolean required, Boolean variable, int order,
            String description, String datatypeDescription, List<Value> values) {

        public Attribute {
            variable = variable == null ? Boolean.TRUE : variable;
            values = values == null ? List.of() : List.copyOf(values);
        }
    }

    public record Value(String key, String name) {
    }

    /**
     * A routing rule of the catalog file. Which fields a rule takes depends on its kind:
     * <ul>
     * <li>{@code service-code}: service, department: every request for the service goes to the department;</li>
     * <li>{@code district}: service, districts, department: requests located in one of the districts;</li>
     * <li>{@code attribute}: service, attribute, values, department: requests answering the attribute with one of
     * the value keys;</li>
     * <li>{@code keyword}: keywords, department: requests for the {@code other} service whose description holds
     * one of the words or phrases.</li>
     * </ul>
     */
    public record Rule(String kind, String service, String department, List<String> districts, String attribute,
            List<String> values, List<String> keywords) {

        public static final String SERVICE_CODE = "service-code";
        public static final String DISTRICT = "district";
        public static final String ATTRIBUTE = "attribute";
        public static final String KEYWORD = "keyword";
        public static final List<String> KINDS = List.of(SERVICE_CODE, DISTRICT, ATTRIBUTE, KEYWORD);

        public Rule {
            districts = districts == null ? List.of() : List.copyOf(districts);
            values = values == null ? List.of() : List.copyOf(values);
            keywords = keywords == null ? List.of() : List.copyOf(keywords);
        }
    }

    /** A district of the city, read from the catalog's GeoJSON districts file. */
    public record District(String code, String name, Area area) {
    }
}
