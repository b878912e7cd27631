package org.city311.routing.catalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonIgnore;

import tools.jackson.databind.JsonNode;

import org.city311.contracts.ServiceType;
import org.city311.contracts.TargetUnit;
import org.city311.platform.calendar.BusinessCalendar.Hours;
import org.city311.routing.geo.Area;

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

    /**
     * The department that handles every request for the service, wherever it is: its owner, unless a
     * {@code service-code} rule reassigns the whole service (district and attribute rules send only some of its
     * requests elsewhere).
     */
    public String handlingDepartment(Service service) {
        return rules(Rule.SERVICE_CODE).stream()
                .filter(rule -> service.code().equals(rule.service()))
                .map(Rule::department)
                .findFirst()
                .orElse(service.department());
    }

    private Map<String, Service> servicesByCode() {
        return services.stream().collect(Collectors.toMap(Service::code, Function.identity()));
    }

    public record City(String name, String timeZone, Bounds bounds) {
    }

    public record Bounds(double south, double west, double north, double east) {
    }

    /**
     * A department: who it is, what it publishes about itself (its "brochure", all optional), when it works and
     * how it hands new work to its agents.
     *
     * @param mission why it exists, in a sentence or two
     * @param description what it does, for residents
     * @param location where to find it: an address and its opening hours, as text for people
     * @param skills what its people are trained and equipped for
     * @param facts figures about what it looks after ("Streetlights" / "12,400"), in the order to show them
     * @param faq questions residents ask, with the department's answers
     * @param feedbackUrl where residents tell the department what they think of it
     * @param assignment {@code none} (the default: an agent takes work on with {@code accept}), {@code round-robin}
     *        (each new piece of work to the next agent of the list, in turn) or {@code least-loaded} (to the agent
     *        with the fewest open pieces of work, the first of the list on a tie)
     * @param agents the agents work is assigned to, in order; needed unless the assignment is {@code none}
     */
    public record Department(String code, String name, String mission, String description, Location location,
            Contact contact, Hours hours, List<String> skills, List<Fact> facts, List<Question> faq,
            String feedbackUrl, String assignment, List<String> agents) {

        public static final String NO_ASSIGNMENT = "none";
        public static final String ROUND_ROBIN = "round-robin";
        public static final String LEAST_LOADED = "least-loaded";
        public static final List<String> ASSIGNMENTS = List.of(NO_ASSIGNMENT, ROUND_ROBIN, LEAST_LOADED);

        public Department {
            assignment = assignment == null ? NO_ASSIGNMENT : assignment;
            agents = agents == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(agents));
            skills = skills == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(skills));
            facts = facts == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(facts));
            faq = faq == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(faq));
        }

        /** Whether new work is given to one of its agents when it arrives, rather than waiting to be accepted. */
        public boolean assignsAgents() {
            return !NO_ASSIGNMENT.equals(assignment) && !agents.isEmpty();
        }
    }

    /** @param url the department's web page */
    public record Contact(String phone, String email, String url) {
    }

    /** Where a department receives the public, as text for people: {@code openingHours} as it would be posted. */
    public record Location(String address, String openingHours) {
    }

    /** A figure a department publishes about what it looks after: {@code Streetlights}, {@code 12,400}. */
    public record Fact(String label, String value) {
    }

    /** A question residents ask a department, with its answer. */
    public record Question(String question, String answer) {
    }

    /** An Open311 service and the department that provides it. */
    public record Service(String code, String name, String group, List<String> keywords, String description,
            String department, String type, Standard standard, List<Attribute> attributes) {

        public Service {
            keywords = keywords == null ? List.of() : List.copyOf(keywords);
            attributes = attributes == null ? List.of() : List.copyOf(attributes);
            type = type == null ? ServiceType.REALTIME.wireName() : type;
        }
    }

    /** The department's published performance standard for a service. */
    public record Standard(Target firstAction, Target resolution, boolean pauseOnHold) {
    }

    /** @param unit a {@link TargetUnit}'s wire name: hours, business_hours, business_days or calendar_days */
    public record Target(int amount, String unit) {

        /** The unit, or empty for one the catalog's checks refuse. */
        public Optional<TargetUnit> knownUnit() {
            return TargetUnit.of(unit);
        }
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

    /**
     * A district of the city, read from the catalog's GeoJSON districts file.
     *
     * @param geometry its GeoJSON geometry as the file has it
     * @param properties its GeoJSON properties as the file has them, its code and name among them
     */
    public record District(String code, String name, Area area, JsonNode geometry, JsonNode properties) {
    }
}
