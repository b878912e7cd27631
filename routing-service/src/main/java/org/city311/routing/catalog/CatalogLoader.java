package org.city311.routing.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads and checks a catalog file and the districts file it names. A catalog with a mistake is refused whole, with
 * every problem named (with its line where one can be told), so that the catalog in force is never a half-valid
 * one. The checks are split by what they check: the districts file ({@link DistrictChecks}), departments and
 * services ({@link EntryChecks}), routing rules ({@link RuleChecks}); this class reads the file and says where
 * things are in it ({@link Lines}).
 */
final class CatalogLoader {

    /** What a department's, a service's or a district's code may be. */
    static final Pattern CODE = Pattern.compile("[a-z0-9][a-z0-9-]*");

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
        DistrictChecks.DistrictsRead districts = DistrictChecks.read(catalog, resolver, problems);
        catalog = catalog.withDistrictMap(districts.usable());
        problems.addAll(EntryChecks.check(catalog, lines));
        RuleChecks.check(catalog, RuleChecks.RuleLines.of(lines), districts, problems);
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

}
