package org.city311.feedback;

import java.util.Map;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.city311.contracts.EventContract;
import org.city311.platform.test.KafkaTestClient;

/** Events of other services, as their contract examples, aimed at one request and with some data changed. */
public final class Events {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Events() {
    }

    /**
     * The example of {@code type} about {@code requestId}, with a fresh event id and these data fields set (a null
     * value removes the field).
     */
    public static String example(String type, String requestId, Map<String, ?> data) {
        ObjectNode event = (ObjectNode) JSON.readTree(KafkaTestClient.example(EventContract.example(type), requestId));
        ObjectNode body = (ObjectNode) event.get("data");
        data.forEach((field, value) -> {
            if (value == null) {
                body.remove(field);
            }
            else {
                body.set(field, JSON.valueToTree(value));
            }
        });
        return JSON.writeValueAsString(event);
    }

    public static String newRequestId() {
        return "311-" + (10_000_000 + (int) (Math.random() * 89_999_999));
    }

    /** The data of a CloudEvent read from a topic. */
    public static tools.jackson.databind.JsonNode data(String cloudEventJson) {
        return JSON.readTree(cloudEventJson).get("data");
    }

    public static String type(String cloudEventJson) {
        return JSON.readTree(cloudEventJson).get("type").asString();
    }
}
