package org.city311.request.open311;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** One tree, two formats: the Open311 XML and its Spark-convention JSON carry the same content. */
class RenderingTests {

    private static final Node REQUESTS = Node.items("service_requests", List.of(
            Node.group("request",
                    Node.field("service_request_id", "311-00000042"),
                    Node.field("status", "open"),
                    Node.field("description", "<b>Deep</b> & wide\r\nnear \"the\" school"),
                    Node.field("requested_datetime", Instant.parse("2026-11-23T14:05:12.902Z")),
                    Node.field("expected_datetime", null),
                    Node.field("lat", 40.7128),
                    Node.field("long", -74.006),
                    Node.group("extended_attributes", Node.field("duplicate", false)),
                    Node.items("notes", List.of(Node.group("note", Node.field("summary", "Routed")))))));

    @Test
    void shouldWriteTheSpecsXmlDeclarationWithoutNamespace() {
        String xml = xml(REQUESTS);

        assertThat(xml).startsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?><service_requests><request>")
                .doesNotContain("xmlns");
    }

    @Test
    void shouldEscapeMarkupAndKeepCarriageReturnsInXml() {
        assertThat(xml(REQUESTS)).contains(
                "<description>&lt;b&gt;Deep&lt;/b&gt; &amp; wide&#13;\nnear \"the\" school</description>");
    }

    @Test
    void shouldWriteEmptyFieldsAsEmptyElementsAndNullInJson() {
        assertThat(xml(REQUESTS)).contains("<expected_datetime></expected_datetime>");
        assertThat(json(REQUESTS)).contains("\"expected_datetime\":null");
    }

    @Test
    void shouldWriteDatetimesAsW3cInUtcToTheSecond() {
        assertThat(xml(REQUESTS)).contains("<requested_datetime>2026-11-23T14:05:12Z</requested_datetime>");
        assertThat(json(REQUESTS)).contains("\"requested_datetime\":\"2026-11-23T14:05:12Z\"");
    }

    @Test
    void shouldDropListWrappersAndKeepJsonTypesTheSparkWay() {
        assertThat(json(REQUESTS)).isEqualTo("[{\"service_request_id\":\"311-00000042\",\"status\":\"open\","
                + "\"description\":\"<b>Deep</b> & wide\\r\\nnear \\\"the\\\" school\","
                + "\"requested_datetime\":\"2026-11-23T14:05:12Z\",\"expected_datetime\":null,"
                + "\"lat\":40.7128,\"long\":-74.006,\"extended_attributes\":{\"duplicate\":false},"
                + "\"notes\":[{\"summary\":\"Routed\"}]}]");
        assertThat(xml(REQUESTS)).contains("<lat>40.7128</lat><long>-74.006</long>")
                .contains("<extended_attributes><duplicate>false</duplicate></extended_attributes>")
                .contains("<notes><note><summary>Routed</summary></note></notes>");
    }

    @Test
    void shouldRenderASingleObjectResourceAsAJsonObject() {
        Node definition = Node.group("service_definition", Node.field("service_code", "pothole"),
                Node.items("attributes", List.of(Node.group("attribute", Node.field("order", 1),
                        Node.field("required", true),
                        Node.items("values", List.of(Node.group("value", Node.field("key", "small"))))))));

        assertThat(json(definition)).isEqualTo("{\"service_code\":\"pothole\",\"attributes\":[{\"order\":1,"
                + "\"required\":true,\"values\":[{\"key\":\"small\"}]}]}");
        assertThat(xml(definition)).endsWith("<service_definition><service_code>pothole</service_code><attributes>"
                + "<attribute><order>1</order><required>true</required><values><value><key>small</key></value>"
                + "</values></attribute></attributes></service_definition>");
    }

    @Test
    void shouldReplaceCharactersXmlCannotCarryButKeepThemOutOfJsonIntact() {
        Node odd = Node.group("request", Node.field("description", "bell\u0007 and emoji \uD83D\uDEA7"));

        assertThat(xml(odd)).contains("<description>bell\uFFFD and emoji \uD83D\uDEA7</description>");
        assertThat(json(odd)).contains("bell\\u0007 and emoji \uD83D\uDEA7");
    }

    @Test
    void shouldRenderTheErrorArrayInBothFormats() {
        Node errors = Open311Exception.forbidden("api_key: not valid, or revoked").body();

        assertThat(xml(errors)).endsWith("<errors><error><code>403</code><description>api_key: not valid, or revoked"
                + "</description></error></errors>");
        assertThat(json(errors)).isEqualTo("[{\"code\":403,\"description\":\"api_key: not valid, or revoked\"}]");
    }

    private static String xml(Node node) {
        return new String(Format.XML.render(node), StandardCharsets.UTF_8);
    }

    private static String json(Node node) {
        return new String(Format.JSON.render(node), StandardCharsets.UTF_8);
    }
}
