package org.city311.routing.catalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The service catalog: which department provides which service, and to what published standard. Immutable; a
 * new version replaces the old one whole.
 */
public record Catalog(String catalogVersion, City city, List<Department> departments, List<Service> services) {

    /** The department that routes by hand whatever no rule matches. */
    public static final String TRIAGE = "triage";

    public Catalog {
        departments = List.copyOf(departments);
        services = List.copyOf(services);
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

    public record Department(String code, String name, String mission, Contact contact, Hours hours) {
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
}
