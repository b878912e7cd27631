package org.city311.contracts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Draft202012;
import com.networknt.schema.path.PathType;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The event contract as seen from Java tests: checks a CloudEvent (structured mode, the whole
 * event as JSON) against the JSON Schema of its {@code type}, and hands out the example of each
 * type. The schemas and examples are the files of the top-level {@code contracts/} folder,
 * packaged under {@code city311/contracts/} on the classpath.
 *
 * <p>Producers check what they emit with {@link #assertValid(String)}; consumers read
 * {@link #example(String)} to prove they understand the contract.
 */
public final class EventContract {

    public static final String REQUEST_CREATED = "city311.request.created.v1";
    /** A request linked as a duplicate of another (its parent): it no longer counts as open work. */
    public static final String REQUEST_LINKED = "city311.request.linked.v1";
    /** An Open311 client's update; what its status means depends on {@code data.trusted}. */
    public static final String REQUEST_CLIENT_UPDATED = "city311.request.client-updated.v1";
    public static final String REQUEST_ROUTED = "city311.request.routed.v1";
    public static final String REQUEST_RESOLVED = "city311.request.resolved.v1";
    public static final String REQUEST_ACCEPTED = "city311.request.accepted.v1";
    /** Carries a note whose {@code visibility} may be {@code internal}: never show those to residents or outside clients. */
    public static final String REQUEST_UPDATED = "city311.request.updated.v1";
    /**
     * Like {@link #REQUEST_TRANSFERRED} and {@link #REQUEST_REOPENED}: carries a {@code reason} whose
     * {@code visibility} may be {@code internal} (absent means public).
     */
    public static final String REQUEST_PUT_ON_HOLD = "city311.request.put-on-hold.v1";
    public static final String REQUEST_RESUMED = "city311.request.resumed.v1";
    public static final String REQUEST_TRANSFERRED = "city311.request.transferred.v1";
    public static final String REQUEST_REOPENED = "city311.request.reopened.v1";
    public static final String REQUEST_CLOSED = "city311.request.closed.v1";
    public static final String FEEDBACK_RECEIVED = "city311.feedback.received.v1";
    public static final String CATALOG_PUBLISHED = "city311.catalog.published.v1";
    public static final String SURVEY_EXPIRED = "city311.survey.expired.v1";
    public static final String FOLLOWUP_OPENED = "city311.followup.opened.v1";
    public static final String FOLLOWUP_CLOSED = "city311.followup.closed.v1";
    public static final String FOLLOWUP_OVERDUE = "city311.followup.overdue.v1";

    private static final Set<String> TYPES = Collections.unmodifiableSet(new LinkedHashSet<>(
            List.of(REQUEST_CREATED, REQUEST_LINKED, REQUEST_CLIENT_UPDATED, REQUEST_ROUTED, REQUEST_ACCEPTED, REQUEST_UPDATED, REQUEST_PUT_ON_HOLD,
                    REQUEST_RESUMED, REQUEST_TRANSFERRED, REQUEST_REOPENED, REQUEST_CLOSED, REQUEST_RESOLVED, FEEDBACK_RECEIVED,
                    CATALOG_PUBLISHED, SURVEY_EXPIRED, FOLLOWUP_OPENED, FOLLOWUP_CLOSED, FOLLOWUP_OVERDUE)));

    private static final String BASE = "city311/contracts/";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Draft 2020-12, with plain times judged without java.time's formatters ({@link PlainDateTimeFormat}). */
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDialect(
            Dialect.builder(Draft202012.getInstance()).format(new PlainDateTimeFormat()).build(),
            registry -> registry.schemaRegistryConfig(SchemaRegistryConfig.builder()
                    .formatAssertionsEnabled(true)
                    .pathType(PathType.JSON_PATH)
                    .locale(Locale.ENGLISH)
                    .build()));

    private static final Map<String, Contract> COMPILED = new ConcurrentHashMap<>();

    /** A type's schema, and its shortcut for the events that plainly keep it. */
    private record Contract(Schema schema, SchemaShortcut shortcut) {
    }

    private EventContract() {
    }

    /** Every event type that has a contract (a schema and an example). */
    public static Set<String> types() {
        return TYPES;
    }

    /**
     * What is wrong with a CloudEvent, checked against the schema of its own {@code type}.
     *
     * @param cloudEventJson the whole CloudEvent as JSON (the Kafka record value)
     * @return human-readable violations; empty when the event keeps the contract
     */
    public static List<String> violations(String cloudEventJson) {
        JsonNode event;
        try {
            event = read(cloudEventJson);
        }
        catch (NotJson ex) {
            return List.of(ex.getMessage());
        }
        if (!event.isObject()) {
            return List.of("not a CloudEvent: expected a JSON object but got " + cloudEventJson);
        }
        return violations(event);
    }

    /**
     * {@link #violations(String)} of a CloudEvent read already (a consumer that has parsed the record checks that
     * tree rather than parse the same bytes again).
     *
     * @param cloudEvent the whole CloudEvent, a JSON object
     */
    public static List<String> violations(JsonNode cloudEvent) {
        JsonNode type = cloudEvent.get("type");
        if (type == null || !type.isString()) {
            return List.of("no contract for type " + (type == null ? "(missing)" : type.toString())
                    + ": a CloudEvent needs a string 'type' attribute");
        }
        return violations(type.asString(), cloudEvent);
    }

    /**
     * What is wrong with a CloudEvent, checked against the schema of the given type whatever its
     * own {@code type} says (so a wrong {@code type} shows as a violation).
     */
    static List<String> violationsAgainst(String contractType, String cloudEventJson) {
        try {
            return violations(contractType, read(cloudEventJson));
        }
        catch (NotJson ex) {
            return List.of(ex.getMessage());
        }
    }

    private static List<String> violations(String contractType, JsonNode event) {
        if (!TYPES.contains(contractType)) {
            return List.of("no contract for type '" + contractType + "' (known types: " + TYPES + ")");
        }
        Contract contract = contract(contractType);
        List<String> violations = contract.shortcut().plainlyKeeps(event) ? new ArrayList<>()
                : schemaViolations(contract, event);
        // Not expressible in JSON Schema: the subject, data.requestId (and the Kafka key) are one request id.
        // Only for events about one request: an event without data.requestId (the catalog) is not checked here.
        JsonNode subject = event.path("subject");
        JsonNode requestId = event.path("data").path("requestId");
        if (subject.isString() && requestId.isString() && !subject.asString().equals(requestId.asString())) {
            violations.add("$.subject: must equal $.data.requestId ('" + requestId.asString() + "') but is '"
                    + subject.asString() + "'");
        }
        // Not expressible in JSON Schema either: after a transfer, the request is where it was transferred to.
        if (REQUEST_TRANSFERRED.equals(contractType)) {
            JsonNode department = event.path("data").path("department");
            JsonNode toDepartment = event.path("data").path("toDepartment");
            if (department.isString() && toDepartment.isString() && !department.asString().equals(toDepartment.asString())) {
                violations.add("$.data.department: must equal $.data.toDepartment ('" + toDepartment.asString()
                        + "') but is '" + department.asString() + "'");
            }
        }
        // Nor that a request cannot duplicate itself.
        if (REQUEST_LINKED.equals(contractType)) {
            JsonNode parent = event.path("data").path("parentRequestId");
            if (parent.isString() && requestId.isString() && parent.asString().equals(requestId.asString())) {
                violations.add("$.data.parentRequestId: must not equal $.data.requestId ('" + requestId.asString()
                        + "'): a request cannot duplicate itself");
            }
        }
        Collections.sort(violations);
        return List.copyOf(violations);
    }

    /** The general validator's verdict alone, without the shortcut (for the tests that compare the two). */
    static List<String> schemaViolations(String contractType, JsonNode event) {
        return schemaViolations(contract(contractType), event);
    }

    private static List<String> schemaViolations(Contract contract, JsonNode event) {
        List<String> violations = new ArrayList<>();
        try {
            for (Error error : contract.schema().validate(event)) {
                violations.add(error.toString());
            }
        }
        catch (RuntimeException ex) {
            // The validator fails on some values instead of judging them (1e300 where an integer has a minimum): an
            // event it cannot judge does not keep the contract, and must reach the dead-letter topic as one that
            // breaks it, not fail its consumer again at each delivery.
            violations.add("the schema check could not judge the event: " + ex.getMessage());
        }
        return violations;
    }

    /** Whether the shortcut alone finds the event keeps its schema (for the same tests). */
    static boolean plainlyKeeps(String contractType, JsonNode event) {
        return contract(contractType).shortcut().plainlyKeeps(event);
    }

    /**
     * Fails with an {@link AssertionError} listing every violation when the CloudEvent does not keep
     * the contract of its type.
     */
    public static void assertValid(String cloudEventJson) {
        List<String> violations = violations(cloudEventJson);
        if (!violations.isEmpty()) {
            throw new AssertionError("CloudEvent breaks its contract:\n  - " + String.join("\n  - ", violations)
                    + "\nEvent: " + cloudEventJson);
        }
    }

    /**
     * The example CloudEvent (whole event as JSON text) of a type.
     *
     * @throws IllegalArgumentException when the type has no contract
     */
    public static String example(String type) {
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("no example for type '" + type + "' (known types: " + TYPES + ")");
        }
        try (InputStream in = resource("examples/" + type + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static JsonNode read(String json) {
        if (json == null) {
            throw new IllegalArgumentException("cloudEventJson must not be null");
        }
        try {
            return JSON.readTree(json);
        }
        catch (JacksonException ex) {
            throw new NotJson("not JSON: " + ex.getOriginalMessage());
        }
    }

    private static final class NotJson extends RuntimeException {

        NotJson(String message) {
            super(message, null, false, false);
        }
    }

    private static Contract contract(String type) {
        return COMPILED.computeIfAbsent(type, EventContract::compile);
    }

    private static Contract compile(String type) {
        try (InputStream in = resource("schemas/" + type + ".json")) {
            JsonNode document = JSON.readTree(in);
            Schema schema = SCHEMAS.getSchema(document);
            schema.initializeValidators();
            return new Contract(schema, SchemaShortcut.of(document));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static InputStream resource(String path) {
        InputStream in = EventContract.class.getClassLoader().getResourceAsStream(BASE + path);
        if (in == null) {
            throw new IllegalStateException("contract file missing from the classpath: " + BASE + path);
        }
        return in;
    }
}
