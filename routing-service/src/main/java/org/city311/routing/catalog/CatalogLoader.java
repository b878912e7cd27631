package org.city311.routing.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads and checks a catalog file. A catalog with a mistake is refused whole, with every problem named, so that
 * the catalog in force is never a half-valid one.
 */
final class CatalogLoader {

    private static final Pattern CODE = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Set<String> DATATYPES = Set.of("string", "number", "datetime", "text", "singlevaluelist",
            "multivaluelist");
    private static final Set<String> UNITS = Set.of("hours", "business_hours", "business_days", "calendar_days");
    private static final Set<String> TYPES = Set.of("realtime", "batch");

    private final YAMLMapper yaml = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    Catalog load(InputStream source) {
        Catalog catalog;
        try (source) {
            catalog = yaml.readValue(source, Catalog.class);
        }
        catch (JacksonException ex) {
            throw new InvalidCatalogException(List.of(ex.getOriginalMessage() + location(ex)));
        }
        catch (IOException ex) {
            throw new InvalidCatalogException(List.of("unreadable catalog: " + ex.getMessage()));
        }
        List<String> problems = check(catalog);
        if (!problems.isEmpty()) {
            throw new InvalidCatalogException(problems);
        }
        return catalog;
    }

    private static String location(JacksonException ex) {
        return ex.getLocation() == null ? ""
                : " (line " + ex.getLocation().getLineNr() + ", column " + ex.getLocation().getColumnNr() + ")";
    }

    private static List<String> check(Catalog catalog) {
        List<String> problems = new ArrayList<>();
        Set<String> departments = new HashSet<>();
        for (Catalog.Department department : catalog.departments()) {
            if (department.code() == null || !CODE.matcher(department.code()).matches()) {
                problems.add("department code '" + department.code() + "' is not lower-case letters, digits and '-'");
            }
            else if (!departments.add(department.code())) {
                problems.add("department '" + department.code() + "' is listed twice");
            }
        }
        if (!departments.contains(Catalog.TRIAGE)) {
            problems.add("no '" + Catalog.TRIAGE + "' department: requests that no rule matches need one");
        }
        Set<String> services = new HashSet<>();
        for (Catalog.Service service : catalog.services()) {
            String where = "service '" + service.code() + "'";
            if (service.code() == null || !CODE.matcher(service.code()).matches()) {
                problems.add(where + ": code is not lower-case letters, digits and '-'");
            }
            else if (!services.add(service.code())) {
                problems.add(where + " is listed twice");
            }
            if (!departments.contains(service.department())) {
                problems.add(where + ": unknown department '" + service.department() + "'");
            }
            if (!TYPES.contains(service.type())) {
                problems.add(where + ": type '" + service.type() + "' is not realtime or batch");
            }
            if (service.standard() == null) {
                problems.add(where + ": no published standard");
            }
            else {
                checkTarget(where + " first-action target", service.standard().firstAction(), problems);
                checkTarget(where + " resolution target", service.standard().resolution(), problems);
            }
            Set<Integer> orders = new HashSet<>();
            Set<String> attributeCodes = new HashSet<>();
            for (Catalog.Attribute attribute : service.attributes()) {
                String attributeWhere = where + " attribute '" + attribute.code() + "'";
                if (!DATATYPES.contains(attribute.datatype())) {
                    problems.add(attributeWhere + ": unknown datatype '" + attribute.datatype() + "'");
                }
                if (!attributeCodes.add(attribute.code())) {
                    problems.add(attributeWhere + " is listed twice");
                }
                if (attribute.order() < 1 || !orders.add(attribute.order())) {
                    problems.add(attributeWhere + ": order must be a positive number, unique within the service");
                }
                if (attribute.datatype() != null && attribute.datatype().endsWith("valuelist")
                        && attribute.values().isEmpty()) {
                    problems.add(attributeWhere + ": a list attribute needs values");
                }
            }
        }
        return problems;
    }

    private static void checkTarget(String where, Catalog.Target target, List<String> problems) {
        if (target == null || target.amount() <= 0 || !UNITS.contains(target.unit())) {
            problems.add(where + ": needs a positive amount and a unit of " + UNITS);
        }
    }
}
