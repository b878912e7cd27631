package org.city311.feedback;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * Checks what feedback-service publishes against the JSON Schemas of the top-level {@code contracts/} folder as they
 * are in this working tree: the schemas feedback-service adds (survey expired, follow-ups) and the fields it adds to
 * feedback-received are checked before the contracts module registers them.
 */
public final class ContractFiles {

    private static final Path SCHEMAS = Path.of("..", "contracts", "schemas");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true)
            .pathType(PathType.JSON_PATH)
            .locale(Locale.ENGLISH)
            .build();

    private ContractFiles() {
    }

    /** Fails listing every violation of the schema of the event's own type, and a subject other than the request. */
    public static void assertValid(String cloudEventJson) {
        try {
            JsonNode event = JSON.readTree(cloudEventJson);
            String type = event.path("type").asText();
            Path file = SCHEMAS.resolve(type + ".json");
            if (!Files.exists(file)) {
                throw new AssertionError("no schema " + file.toAbsolutePath() + " for " + cloudEventJson);
            }
            JsonSchema schema;
            try (InputStream in = Files.newInputStream(file)) {
                schema = FACTORY.getSchema(in, CONFIG);
            }
            List<String> violations = new ArrayList<>();
            for (ValidationMessage message : schema.validate(event)) {
                violations.add(message.getMessage());
            }
            if (!event.path("subject").asText().equals(event.path("data").path("requestId").asText())) {
                violations.add("$.subject must equal $.data.requestId");
            }
            if (!violations.isEmpty()) {
                throw new AssertionError("CloudEvent breaks its contract " + file + ":\n  - "
                        + String.join("\n  - ", violations) + "\nEvent: " + cloudEventJson);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The example of a type, as it is in this working tree. */
    public static String example(String type) {
        try {
            return Files.readString(Path.of("..", "contracts", "examples", type + ".json"));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
