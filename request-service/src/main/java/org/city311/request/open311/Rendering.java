package org.city311.request.open311;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a {@link Node} tree as Open311 XML (UTF-8, no namespace) or as JSON following the Spark convention:
 * list resources become a top-level array, nested lists become arrays, booleans and numbers keep their JSON type,
 * empty values are {@code null}.
 */
final class Rendering {

    /** W3C-DTF as the spec requires it, always in UTC: {@code 2026-11-23T14:05:12Z}. */
    static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX")
            .withZone(ZoneOffset.UTC);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Rendering() {
    }

    static byte[] xml(Node root) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            // The JDK's own StAX writer whatever else is on the classpath (its XML declaration is the spec's,
            // verbatim), from a factory of its own: factories are not documented as thread-safe.
            XMLStreamWriter writer = XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(out, "utf-8");
            writer.writeStartDocument("utf-8", "1.0");
            write(writer, root);
            writer.writeEndDocument();
            writer.close();
        }
        catch (XMLStreamException ex) {
            throw new IllegalStateException("could not write Open311 XML", ex);
        }
        return out.toByteArray();
    }

    static byte[] json(Node root) {
        return JSON.writeValueAsBytes(jsonValue(root));
    }

    static String text(Object value) {
        if (value instanceof Instant instant) {
            return DATETIME.format(instant);
        }
        if (value instanceof Double || value instanceof Float) {
            return BigDecimal.valueOf(((Number) value).doubleValue()).stripTrailingZeros().toPlainString();
        }
        return value.toString();
    }

    private static void write(XMLStreamWriter writer, Node node) throws XMLStreamException {
        writer.writeStartElement(node.name());
        if (node instanceof Node.Field field) {
            if (field.value() != null) {
                characters(writer, text(field.value()));
            }
        }
        else {
            for (Node child : children(node)) {
                write(writer, child);
            }
        }
        writer.writeEndElement();
    }

    /**
     * Text as XML 1.0 allows it: characters XML cannot carry become U+FFFD (intake refuses them, but older data
     * may hold some), and a carriage return is written as a reference so that a parser does not fold CRLF to LF.
     */
    private static void characters(XMLStreamWriter writer, String text) throws XMLStreamException {
        StringBuilder run = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r') {
                writer.writeCharacters(run.toString());
                run.setLength(0);
                writer.writeEntityRef("#13");
            }
            else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                run.append(c).append(text.charAt(++i));
            }
            else if (c == '\t' || c == '\n' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)) {
                run.append(c);
            }
            else {
                run.append('\uFFFD');
            }
        }
        writer.writeCharacters(run.toString());
    }

    private static Object jsonValue(Node node) {
        if (node instanceof Node.Field field) {
            return field.value() instanceof Instant instant ? DATETIME.format(instant) : field.value();
        }
        if (node instanceof Node.Group group) {
            Map<String, Object> object = new LinkedHashMap<>();
            for (Node child : group.children()) {
                object.put(child.name(), jsonValue(child));
            }
            return object;
        }
        List<Object> array = new ArrayList<>();
        for (Node item : children(node)) {
            array.add(jsonValue(item));
        }
        return array;
    }

    private static List<? extends Node> children(Node node) {
        return node instanceof Node.Group group ? group.children() : ((Node.Items) node).items();
    }
}
