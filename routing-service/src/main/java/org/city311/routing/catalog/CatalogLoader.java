package org.city311.routing.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;

import org.city311.routing.geo.GeoJson;

/**
 * Reads and checks a catalog file and the districts file it names. A catalog with a mistake is refused whole, with
 * every problem named (with its line where one can be told), so that the catalog in force is never a half-valid
 * one.
 */
final class CatalogLoader {

    private static final Pattern CODE = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Set<String> DATATYPES = Set.of("string", "number", "datetime", "text", "singlevaluelist",
            "multivaluelist");
    private static final Set<String> UNITS = Set.of("hours", "business_hours", "business_days", "calendar_days");
    private static final Set<String> TYPES = Set.of("realtime", "batch");
    private static final Pattern RELATIVE_FILE = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");

    private final YAMLMapper yaml = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private final Function<String, InputStream> resolver;

    /** A loader that finds the files a catalog names among the class path resources under {@code catalog/}. */
    CatalogLoader() {
        this(file -> CatalogLoader.class.getClassLoader().getResourceAsStream("catalog/" + file));
    }

    /**
     * @param resolver opens a file the catalog names (its districts file) by its path relative to the catalog
     *        file; returns null or throws {@link UncheckedIOException} if there is none
     */
    CatalogLoader(Function<String, InputStream> resolver) {
        this.resolver = resolver;
    }

    Catalog load(InputStream source) {
        byte[] content;
        try (source) {
            content = source.readAllBytes();
        }
        catch (IOException ex) {
            throw new InvalidCatalogException(List.of("unreadable catalog: " + ex.getMessage()));
        }
        Catalog catalog;
        Lines lines;
        try {
            catalog = yaml.readValue(content, Catalog.class);
            lines = lines(content);
        }
        catch (JacksonException ex) {
            throw new InvalidCatalogException(List.of(ex.getOriginalMessage() + location(ex, content)));
        }
        if (catalog == null) {
            throw new InvalidCatalogException(List.of("the catalog file is empty"));
        }
        List<String> problems = new ArrayList<>();
        DistrictsRead districts = readDistricts(catalog, problems);
        catalog = catalog.withDistrictMap(districts.usable());
        problems.addAll(check(catalog, lines));
        checkRules(catalog, RuleLines.of(lines), districts, problems);
        if (!problems.isEmpty()) {
            throw new InvalidCatalogException(problems);
        }
        return catalog;
    }

    /**
     * Where the mistake is. Jackson reports where it noticed it, which for a record is the end of the object; the
     * key at fault is found by following the exception's path through the file.
     */
    private String location(JacksonException ex, byte[] content) {
        String detected = ex.getLocation() == null ? null
                : "line " + ex.getLocation().getLineNr() + ", column " + ex.getLocation().getColumnNr();
        TokenStreamLocation key = ex.getPath().isEmpty() ? null : locate(content, ex.getPath());
        if (key == null || ex.getLocation() != null && key.getLineNr() == ex.getLocation().getLineNr()) {
            return detected == null ? "" : " (" + detected + ")";
        }
        return " (line " + key.getLineNr() + ", column " + key.getColumnNr()
                + (detected == null ? "" : "; detected at " + detected) + ")";
    }

    /** The location of the value a Jackson path leads to (a property's key), or null if the path cannot be followed. */
    private TokenStreamLocation locate(byte[] content, List<JacksonException.Reference> path) {
        try (JsonParser parser = yaml.createParser(content)) {
            parser.nextToken();
            TokenStreamLocation at = parser.currentTokenLocation();
            for (JacksonException.Reference step : path) {
                if (step.getPropertyName() != null) {
                    if (parser.currentToken() != JsonToken.START_OBJECT) {
                        return null;
                    }
                    at = null;
                    while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                        if (step.getPropertyName().equals(parser.currentName())) {
                            at = parser.currentTokenLocation();
                            parser.nextToken();
                            break;
                        }
                        parser.nextToken();
                        parser.skipChildren();
                    }
                }
                else if (step.getIndex() >= 0 && parser.currentToken() == JsonToken.START_ARRAY) {
                    at = null;
                    for (int i = 0; i <= step.getIndex(); i++) {
                        if (parser.nextToken() == JsonToken.END_ARRAY) {
                            return null;
                        }
                        if (i < step.getIndex()) {
                            parser.skipChildren();
                        }
                    }
                    at = parser.currentTokenLocation();
                }
                else {
                    return null;
                }
                if (at == null) {
                    return null;
                }
            }
            return at;
        }
        catch (JacksonException unreadable) {
            return null;
        }
    }

    /**
     * The line of every key and list element of the file, by JSON pointer ({@code /services/3/department}), so
     * that a problem found in the catalog read can name where it is.
     */
    record Lines(Map<String, Integer> byPointer) {

        /** The line of the first of the pointers the file has, or 0. */
        int of(String... pointers) {
            for (String pointer : pointers) {
                Integer line = byPointer.get(pointer);
                if (line != null) {
                    return line;
                }
            }
            return 0;
        }

        /** {@code " (line 12)"} for the first of the pointers the file has; empty if it has none. */
        String at(String... pointers) {
            int line = of(pointers);
            return line > 0 ? " (line " + line + ")" : "";
        }
    }

    private Lines lines(byte[] content) {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser parser = yaml.createParser(content)) {
            walk(parser, parser.nextToken(), "", lines);
        }
        return new Lines(lines);
    }

    private static void walk(JsonParser parser, JsonToken token, String pointer, Map<String, Integer> lines) {
        if (token == JsonToken.START_OBJECT) {
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String child = pointer + "/" + parser.currentName();
                lines.putIfAbsent(child, parser.currentTokenLocation().getLineNr());
                walk(parser, parser.nextToken(), child, lines);
            }
        }
        else if (token == JsonToken.START_ARRAY) {
            int index = 0;
            for (JsonToken element = parser.nextToken(); element != JsonToken.END_ARRAY; element = parser.nextToken()) {
                String child = pointer + "/" + index++;
                lines.put(child, parser.currentTokenLocation().getLineNr());
                walk(parser, element, child, lines);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Districts
    // ---------------------------------------------------------------------------------------------------------

    /**
     * @param usable the districts that can be put in force
     * @param declared the code of every district the file declares, even of one refused for its shape
     * @param unreadable whether the file named could not be read at all (so its districts are unknown)
     */
    private record DistrictsRead(List<Catalog.District> usable, Set<String> declared, boolean unreadable) {

        static final DistrictsRead NONE = new DistrictsRead(List.of(), Set.of(), false);
        static final DistrictsRead UNREADABLE = new DistrictsRead(List.of(), Set.of(), true);
    }

    private DistrictsRead readDistricts(Catalog catalog, List<String> problems) {
        String file = catalog.districts();
        if (file == null) {
            return DistrictsRead.NONE;
        }
        String prefix = "districts file '" + file + "'";
        if (!RELATIVE_FILE.matcher(file).matches()) {
            problems.add(prefix + ": must be a path relative to the catalog file, with no segment starting with '.'");
            return DistrictsRead.UNREADABLE;
        }
        byte[] content;
        try (InputStream in = resolver.apply(file)) {
            if (in == null) {
                problems.add(prefix + ": not found next to the catalog file");
                return DistrictsRead.UNREADABLE;
            }
            content = in.readAllBytes();
        }
        catch (IOException | UncheckedIOException ex) {
            problems.add(prefix + ": cannot be read: " + ex.getMessage());
            return DistrictsRead.UNREADABLE;
        }
        GeoJson.Result read = GeoJson.readFeatures(file, content);
        problems.addAll(read.problems());
        if (read.features().isEmpty() && !read.problems().isEmpty()) {
            return DistrictsRead.UNREADABLE;
        }
        Set<String> declared = new HashSet<>();
        List<GeoJson.Feature> usable = new ArrayList<>();
        Map<String, GeoJson.Feature> byCode = new HashMap<>();
        for (GeoJson.Feature feature : read.features()) {
            String where = prefix + ", " + feature.where();
            if (feature.code() == null || !CODE.matcher(feature.code()).matches()) {
                problems.add(where + ": property 'code' '" + feature.code()
                        + "' is not lower-case letters, digits and '-'");
                continue;
            }
            declared.add(feature.code());
            GeoJson.Feature first = byCode.putIfAbsent(feature.code(), feature);
            if (first != null) {
                problems.add(where + ": district '" + feature.code() + "' is listed twice (first at "
                        + first.where() + ")");
                continue;
            }
            if (feature.name() == null || feature.name().isBlank()) {
                problems.add(where + ": district '" + feature.code() + "' has no property 'name'");
            }
            if (feature.area() != null) {
                checkInsideCity(catalog.city(), feature, where, problems);
                usable.add(feature);
            }
        }
        for (int i = 0; i < usable.size(); i++) {
            for (int j = i + 1; j < usable.size(); j++) {
                GeoJson.Feature a = usable.get(i);
                GeoJson.Feature b = usable.get(j);
                if (a.area().overlaps(b.area())) {
                    problems.add(prefix + ": districts '" + a.code() + "' (" + a.where() + ") and '" + b.code()
                            + "' (" + b.where() + ") overlap; districts may share a border but not an area");
                }
            }
        }
        return new DistrictsRead(usable.stream().map(f -> new Catalog.District(f.code(), f.name(), f.area(),
                f.geometry(), f.properties())).toList(),
                declared, false);
    }

    private static void checkInsideCity(Catalog.City city, GeoJson.Feature feature, String where,
            List<String> problems) {
        if (city == null || city.bounds() == null) {
            return;
        }
        Catalog.Bounds bounds = city.bounds();
        double[] box = feature.area().boundingBox();
        if (box[0] < bounds.west() || box[1] < bounds.south() || box[2] > bounds.east() || box[3] > bounds.north()) {
            problems.add(where + ": district '" + feature.code() + "' reaches outside the city's bounds"
                    + " (GeoJSON positions are [longitude, latitude])");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Rules
    // ---------------------------------------------------------------------------------------------------------

    /** Where the {@code rules} key and each of its rules start in the file; 0 where unknown. */
    private record RuleLines(int key, List<Integer> rules) {

        static RuleLines of(Lines lines) {
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

    private static void checkRules(Catalog catalog, RuleLines lines, DistrictsRead districts, List<String> problems) {
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

    // ---------------------------------------------------------------------------------------------------------
    // Departments and services
    // ---------------------------------------------------------------------------------------------------------

    private static List<String> check(Catalog catalog, Lines lines) {
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
            if (department.code() == null || !CODE.matcher(department.code()).matches()) {
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
            if (service.code() == null || !CODE.matcher(service.code()).matches()) {
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
            if (!TYPES.contains(service.type())) {
                problems.add(name + lines.at(pointer + "/type", pointer) + ": type '" + service.type()
                        + "' is not realtime or batch");
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

    /** A department that assigns work needs agents to assign it to, each named once. */
    private static void checkAssignment(Catalog.Department department, String pointer, Lines lines,
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
    private static void checkBrochure(Catalog.Department department, String pointer, Lines lines,
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
    private record Text(String name, String pointer, Lines lines, List<String> problems) {

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
        if (target == null || target.amount() <= 0 || !UNITS.contains(target.unit())) {
            problems.add(where + ": needs a positive amount and a unit of " + UNITS);
        }
    }
}
