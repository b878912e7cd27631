package org.city311.request.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.city311.contracts.AttributeDatatype;
import org.city311.contracts.ServiceType;

/**
 * request-service's copy of the service catalog, as published by routing-service on {@code city311.catalog}: only
 * what intake and Open311 need (tolerant reader; the rest of the event is ignored).
 */
public record CatalogSnapshot(String catalogVersion, String hash, Instant publishedAt, City city,
        List<Department> departments, List<Service> services) {

    public CatalogSnapshot {
        departments = departments == null ? List.of() : List.copyOf(departments);
        services = services == null ? List.of() : List.copyOf(services);
    }

    public Optional<Service> service(String code) {
        return services.stream().filter(service -> service.code().equals(code)).findFirst();
    }

    public Optional<Department> department(String code) {
        return departments.stream().filter(department -> department.code().equals(code)).findFirst();
    }

    public record City(String name, String timeZone, Bounds bounds) {
    }

    /** The city's bounding box: requests located outside it are refused. */
    public record Bounds(double south, double west, double north, double east) {

        public boolean contains(double latitude, double longitude) {
            return latitude >= south && latitude <= north && longitude >= west && longitude <= east;
        }
    }

    public record Department(String code, String name) {
    }

    public record Service(String code, String name, String group, List<String> keywords, String description,
            String department, String type, List<Attribute> attributes) {

        public Service {
            keywords = keywords == null ? List.of() : List.copyOf(keywords);
            attributes = attributes == null ? List.of() : List.copyOf(attributes);
        }

        public boolean batch() {
            return ServiceType.of(type).orElse(ServiceType.REALTIME) == ServiceType.BATCH;
        }
    }

    /** An Open311 attribute; {@code variable == false} means information only, never asked for. */
    public record Attribute(String code, String datatype, boolean required, boolean variable, int order,
            String description, String datatypeDescription, List<Value> values) {

        public Attribute {
            values = values == null ? List.of() : List.copyOf(values);
        }

        public boolean list() {
            return kind().isList();
        }

        /**
         * The datatype; one the catalog event's schema does not list (a newer catalog) is taken as free text, so
         * intake goes on asking the question rather than refusing the service.
         */
        public AttributeDatatype kind() {
            return AttributeDatatype.of(datatype).orElse(AttributeDatatype.STRING);
        }
    }

    public record Value(String key, String name) {
    }
}
