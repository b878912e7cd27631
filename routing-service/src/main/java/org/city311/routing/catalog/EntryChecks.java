package org.city311.routing.catalog;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.city311.contracts.AttributeDatatype;
import org.city311.contracts.ServiceType;
import org.city311.contracts.TargetUnit;

/**
 * Checks a catalog's entries: its version and city, every department (codes, hours, assignment and agents, what it
 * publishes about itself) and every service (code, type, standard, the questions it asks).
 */
final class EntryChecks {

    private EntryChecks() {
    }

    static List<String> check(Catalog catalog, CatalogLoader.Lines lines) {
        List<String> problems = new ArrayList<>();
        if (catalog.catalogVersion() == null || catalog.catalogVersion().isBlank()) {
            problems.add("no catalogVersion: every catalog names its version");
        }
        if (catalog.city() == null || catalog.city().name() == null || catalog.city().timeZone() == null) {
            problems.add("city" + lines.at("/city") + ": needs a name and a timeZone");
        }
        Map<String, Integer> departments = new HashMap<>();
        for (int i = 0; i < catalog.departments().size(); i++) {
            Catalog.Department department = catalog.departments().get(i);
            String pointer = "/departments/" + i;
            String where = "department '" + department.code() + "'" + lines.at(pointer + "/code", pointer);
            if (department.code() == null || !CatalogLoader.CODE.matcher(department.code()).matches()) {
                problems.add(where + ": code is not lower-case letters, digits and '-'");
            }
            else if (departments.putIfAbsent(department.code(), lines.of(pointer + "/code", pointer)) != null) {
                problems.add(where + " is listed twice (first at line " + departments.get(department.code()) + ")");
            }
            checkAssignment(department, pointer, lines, problems);
            checkBrochure(department, pointer, lines, problems);
        }
        if (!departments.containsKey(Catalog.TRIAGE)) {
            problems.add("no '" + Catalog.TRIAGE + "' department: requests that no rule matches need one");
        }
        Map<String, Integer> services = new HashMap<>();
        for (int i = 0; i < catalog.services().size(); i++) {
            Catalog.Service service = catalog.services().get(i);
            String pointer = "/services/" + i;
            String name = "service '" + service.code() + "'";
            String where = name + lines.at(pointer + "/code", pointer);
            if (service.code() == null || !CatalogLoader.CODE.matcher(service.code()).matches()) {
                problems.add(where + ": code is not lower-case letters, digits and '-'");
            }
            else if (services.putIfAbsent(service.code(), lines.of(pointer + "/code", pointer)) != null) {
                problems.add(where + " is listed twice (first at line " + services.get(service.code()) + ")");
            }
            if (service.department() == null) {
                problems.add(where + ": no department");
            }
            else if (!departments.containsKey(service.department())) {
                problems.add(name + lines.at(pointer + "/department", pointer) + ": unknown department '"
                        + service.department() + "'");
            }
            if (ServiceType.of(service.type()).isEmpty()) {
                problems.add(name + lines.at(pointer + "/type", pointer) + ": type '" + service.type()
                        + "' is not one of " + List.of(ServiceType.values()));
            }
            if (service.standard() == null) {
                problems.add(where + ": no published standard");
            }
            else {
                checkTarget(name + lines.at(pointer + "/standard/firstAction", pointer + "/standard", pointer)
                        + " first-action target", service.standard().firstAction(), problems);
                checkTarget(name + lines.at(pointer + "/standard/resolution", pointer + "/standard", pointer)
                        + " resolution target", service.standard().resolution(), problems);
            }
            Set<Integer> orders = new HashSet<>();
            Set<String> attributeCodes = new HashSet<>();
            for (int j = 0; j < service.attributes().size(); j++) {
                Catalog.Attribute attribute = service.attributes().get(j);
                String attributeWhere = name + " attribute '" + attribute.code() + "'"
                        + lines.at(pointer + "/attributes/" + j, pointer);
                Optional<AttributeDatatype> datatype = AttributeDatatype.of(attribute.datatype());
                if (datatype.isEmpty()) {
                    problems.add(attributeWhere + ": unknown datatype '" + attribute.datatype() + "'");
                }
                if (!attributeCodes.add(attribute.code())) {
                    problems.add(attributeWhere + " is listed twice");
                }
                if (attribute.order() < 1 || !orders.add(attribute.order())) {
                    problems.add(attributeWhere + ": order must be a positive number, unique within the service");
                }
                if (datatype.filter(AttributeDatatype::isList).isPresent() && attribute.values().isEmpty()) {
                    problems.add(attributeWhere + ": a list attribute needs values");
                }
            }
        }
        return problems;
    }

    /** A department that assigns work needs agents to assign it to, each named once. */
    private static void checkAssignment(Catalog.Department department, String pointer, CatalogLoader.Lines lines,
            List<String> problems) {
        String name = "department '" + department.code() + "'";
        if (!Catalog.Department.ASSIGNMENTS.contains(department.assignment())) {
            problems.add(name + lines.at(pointer + "/assignment", pointer) + ": assignment '"
                    + department.assignment() + "' is not one of " + Catalog.Department.ASSIGNMENTS);
        }
        else if (!department.assignment().equals(Catalog.Department.NO_ASSIGNMENT) && department.agents().isEmpty()) {
            problems.add(name + lines.at(pointer + "/agents", pointer + "/assignment", pointer) + ": a "
                    + department.assignment() + " assignment needs agents");
        }
        Set<String> agents = new HashSet<>();
        for (int k = 0; k < department.agents().size(); k++) {
            String agent = department.agents().get(k);
            String where = name + lines.at(pointer + "/agents/" + k, pointer + "/agents", pointer);
            if (agent == null || agent.isBlank() || agent.length() > 128) {
                problems.add(where + ": agent '" + agent + "' is not a name of 1 to 128 characters");
            }
            else if (!agents.add(agent)) {
                problems.add(where + ": agent '" + agent + "' is listed twice");
            }
        }
    }

    // What a department publishes about itself: every field optional, each one checked where it is given.
    static final int MAX_MISSION = 500;
    static final int MAX_DESCRIPTION = 2000;
    static final int MAX_LINE = 300;
    static final int MAX_SKILL = 120;
    static final int MAX_SKILLS = 30;
    static final int MAX_FACT_LABEL = 80;
    static final int MAX_FACT_VALUE = 80;
    static final int MAX_FACTS = 20;
    static final int MAX_QUESTION = 300;
    static final int MAX_ANSWER = 2000;
    static final int MAX_FAQ = 30;
    static final int MAX_EMAIL = 254;
    static final int MAX_URL = 2000;
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+");
    /** Digits and the usual separators, with room for an extension ("ext. 12"); 311 counts. */
    private static final Pattern PHONE = Pattern.compile("(?=(?:\\D*\\d){3})[0-9A-Za-z +()./#,-]{3,40}");

    /** The department's mission, description, location, contact, skills, facts, questions and feedback address. */
    private static void checkBrochure(Catalog.Department department, String pointer, CatalogLoader.Lines lines,
            List<String> problems) {
        Text text = new Text("department '" + department.code() + "'", pointer, lines, problems);
        text.check("mission", department.mission(), MAX_MISSION, "/mission");
        text.check("description", department.description(), MAX_DESCRIPTION, "/description");
        if (department.location() != null) {
            text.check("location address", department.location().address(), MAX_LINE, "/location/address",
                    "/location");
            text.check("location openingHours", department.location().openingHours(), MAX_LINE,
                    "/location/openingHours", "/location");
        }
        Catalog.Contact contact = department.contact();
        if (contact != null) {
            if (contact.phone() != null && !PHONE.matcher(contact.phone()).matches()) {
                text.problem("contact phone '" + contact.phone() + "' is not a phone number (at least 3 digits;"
                        + " letters, spaces and + ( ) . / # , - besides; at most 40 characters)", "/contact/phone", "/contact");
            }
            if (contact.email() != null && (contact.email().length() > MAX_EMAIL
                    || !EMAIL.matcher(contact.email()).matches())) {
                text.problem("contact email '" + contact.email() + "' is not an e-mail address such as"
                        + " 'parks@city.example'", "/contact/email", "/contact");
            }
            text.url("contact url", contact.url(), "/contact/url", "/contact");
        }
        text.url("feedbackUrl", department.feedbackUrl(), "/feedbackUrl");
        text.count("skills", department.skills().size(), MAX_SKILLS, "/skills");
        for (int k = 0; k < department.skills().size(); k++) {
            text.required("skill " + (k + 1), department.skills().get(k), MAX_SKILL, "/skills/" + k, "/skills");
        }
        text.count("facts", department.facts().size(), MAX_FACTS, "/facts");
        for (int k = 0; k < department.facts().size(); k++) {
            Catalog.Fact fact = department.facts().get(k);
            String at = "/facts/" + k;
            if (fact == null) {
                text.problem("fact " + (k + 1) + " is empty: give a label and a value", at, "/facts");
                continue;
            }
            text.required("fact " + (k + 1) + " label", fact.label(), MAX_FACT_LABEL, at + "/label", at);
            text.required("fact " + (k + 1) + " value", fact.value(), MAX_FACT_VALUE, at + "/value", at);
        }
        text.count("faq", department.faq().size(), MAX_FAQ, "/faq");
        for (int k = 0; k < department.faq().size(); k++) {
            Catalog.Question question = department.faq().get(k);
            String at = "/faq/" + k;
            if (question == null) {
                text.problem("faq " + (k + 1) + " is empty: give a question and its answer", at, "/faq");
                continue;
            }
            text.required("faq " + (k + 1) + " question", question.question(), MAX_QUESTION, at + "/question", at);
            text.required("faq " + (k + 1) + " answer", question.answer(), MAX_ANSWER, at + "/answer", at);
        }
    }

    /** Checks of one department's texts, each problem named with the line of the field (pointers under its own). */
    private record Text(String name, String pointer, CatalogLoader.Lines lines, List<String> problems) {

        void problem(String what, String... fields) {
            String[] pointers = new String[fields.length + 1];
            for (int i = 0; i < fields.length; i++) {
                pointers[i] = pointer + fields[i];
            }
            pointers[fields.length] = pointer;
            problems.add(name + lines.at(pointers) + ": " + what);
        }

        /** An optional text: absent is fine, given it must not be blank nor longer than {@code max}. */
        void check(String field, String value, int max, String... fields) {
            if (value != null) {
                required(field, value, max, fields);
            }
        }

        void required(String field, String value, int max, String... fields) {
            if (value == null || value.isBlank()) {
                problem(field + " is empty", fields);
            }
            else if (value.length() > max) {
                problem(field + " has " + value.length() + " characters; at most " + max, fields);
            }
        }

        void count(String field, int size, int max, String... fields) {
            if (size > max) {
                problem(field + " has " + size + " entries; at most " + max, fields);
            }
        }

        /** An optional web address: absolute, http or https, with a host. */
        void url(String field, String value, String... fields) {
            if (value == null) {
                return;
            }
            URI uri = null;
            try {
                uri = value.length() > MAX_URL ? null : new URI(value);
            }
            catch (URISyntaxException ex) {
                // refused below
            }
            if (uri == null || uri.getHost() == null || uri.getScheme() == null
                    || !Set.of("http", "https").contains(uri.getScheme().toLowerCase(java.util.Locale.ROOT))) {
                problem(field + " '" + value + "' is not a web address such as 'https://city.example/parks' (http"
                        + " or https, at most " + MAX_URL + " characters)", fields);
            }
        }
    }

    private static void checkTarget(String where, Catalog.Target target, List<String> problems) {
        if (target == null || target.amount() <= 0 || TargetUnit.of(target.unit()).isEmpty()) {
            problems.add(where + ": needs a positive amount and a unit of " + List.of(TargetUnit.values()));
        }
    }
}
