package org.city311.routing.geo;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the features of a GeoJSON FeatureCollection (RFC 7946) whose geometries are Polygons or MultiPolygons,
 * each with a {@code code} and a {@code name} property. Every problem names the file, the feature and its line.
 */
public final class GeoJson {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private GeoJson() {
    }

    /**
     * One feature as read. Its code and name are not checked here; its area is null if its geometry was refused.
     *
     * @param number the feature's position in the file, from 1
     * @param line the line the feature starts on, 0 if unknown
     * @param geometry the feature's geometry as written, to give it back as the file has it
     * @param properties the feature's properties as written (its code and name among them); never null
     */
    public record Feature(int number, int line, String code, String name, Area area, JsonNode geometry,
            JsonNode properties) {

        /** How problems name the feature: {@code feature 3 (line 40)}. */
        public String where() {
            return "feature " + number + (line > 0 ? " (line " + line + ")" : "");
        }
    }

    /** The features read, and every problem found; a file with problems must not be used. */
    public record Result(List<Feature> features, List<String> problems) {

        public Result {
            features = List.copyOf(features);
            problems = List.copyOf(problems);
        }
    }

    /** @param file how problems name the file */
    public static Result readFeatures(String file, byte[] content) {
        String prefix = "districts file '" + file + "'";
        JsonNode root;
        List<Integer> lines;
        try {
            root = JSON.readTree(content);
            lines = featureLines(content);
        }
        catch (JacksonException ex) {
            return new Result(List.of(), List.of(prefix + ": " + ex.getOriginalMessage() + location(ex)));
        }
        if (root == null || !"FeatureCollection".equals(text(root.get("type"))) || !root.path("features").isArray()) {
            return new Result(List.of(), List.of(prefix + ": not a GeoJSON FeatureCollection with a features list"));
        }
        List<Feature> features = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        JsonNode list = root.get("features");
        for (int i = 0; i < list.size(); i++) {
            JsonNode node = list.get(i);
            JsonNode properties = node.path("properties");
            Feature feature = new Feature(i + 1, i < lines.size() ? lines.get(i) : 0,
                    text(properties.get("code")), text(properties.get("name")), null, node.path("geometry"),
                    properties.isObject() ? properties : JSON.createObjectNode());
            String where = prefix + ", " + feature.where();
            if (!"Feature".equals(text(node.get("type")))) {
                problems.add(where + ": type is not Feature");
                continue;
            }
            try {
                features.add(new Feature(feature.number(), feature.line(), feature.code(), feature.name(),
                        area(node.path("geometry")), feature.geometry(), feature.properties()));
            }
            catch (IllegalArgumentException ex) {
                problems.add(where + ": " + ex.getMessage());
                features.add(feature);
            }
        }
        return new Result(features, problems);
    }

    private static Area area(JsonNode geometry) {
        String type = text(geometry.get("type"));
        JsonNode coordinates = geometry.path("coordinates");
        if ("Polygon".equals(type)) {
            return Area.of(polygon(coordinates, "polygon"));
        }
        if ("MultiPolygon".equals(type)) {
            requireArray(coordinates, "its coordinates");
            List<Polygon> polygons = new ArrayList<>();
            for (int i = 0; i < coordinates.size(); i++) {
                polygons.add(polygon(coordinates.get(i), "polygon " + (i + 1)));
            }
            if (polygons.isEmpty()) {
                throw new IllegalArgumentException("MultiPolygon has no polygon");
            }
            return Area.of(polygons);
        }
        throw new IllegalArgumentException("geometry type '" + type + "' is not Polygon or MultiPolygon");
    }

    private static Polygon polygon(JsonNode rings, String name) {
        requireArray(rings, name);
        if (rings.isEmpty()) {
            throw new IllegalArgumentException(name + " has no ring");
        }
        List<Ring> parsed = new ArrayList<>();
        for (int r = 0; r < rings.size(); r++) {
            String ringName = name + " ring " + (r + 1);
            JsonNode ring = rings.get(r);
            requireArray(ring, ringName);
            List<double[]> positions = new ArrayList<>();
            for (int p = 0; p < ring.size(); p++) {
                positions.add(position(ring.get(p), ringName + " position " + (p + 1)));
            }
            try {
                parsed.add(Ring.of(positions));
            }
            catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException(ringName + " " + ex.getMessage());
            }
        }
        try {
            return Polygon.of(parsed.get(0), parsed.subList(1, parsed.size()));
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(name + ": " + ex.getMessage());
        }
    }

    private static double[] position(JsonNode position, String name) {
        if (position == null || !position.isArray() || position.size() < 2 || !position.get(0).isNumber()
                || !position.get(1).isNumber()) {
            throw new IllegalArgumentException(name + " is not [longitude, latitude]");
        }
        double longitude = position.get(0).doubleValue();
        double latitude = position.get(1).doubleValue();
        if (Math.abs(longitude) > 180 || Math.abs(latitude) > 90) {
            throw new IllegalArgumentException(name + " [" + longitude + ", " + latitude
                    + "] is not [longitude, latitude] within -180..180, -90..90");
        }
        return new double[] { longitude, latitude };
    }

    private static void requireArray(JsonNode node, String name) {
        if (node == null || !node.isArray()) {
            throw new IllegalArgumentException(name + " is not a list of coordinates");
        }
    }

    private static String text(JsonNode node) {
        return node != null && node.isString() ? node.stringValue() : null;
    }

    /** The line each element of the top-level {@code features} list starts on. */
    private static List<Integer> featureLines(byte[] content) {
        List<Integer> lines = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(content)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return lines;
            }
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("features".equals(name) && value == JsonToken.START_ARRAY) {
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        lines.add(parser.currentTokenLocation().getLineNr());
                        parser.skipChildren();
                    }
                }
                else {
                    parser.skipChildren();
                }
            }
        }
        return lines;
    }

    private static String location(JacksonException ex) {
        return ex.getLocation() == null ? ""
                : " (line " + ex.getLocation().getLineNr() + ", column " + ex.getLocation().getColumnNr() + ")";
    }
}
