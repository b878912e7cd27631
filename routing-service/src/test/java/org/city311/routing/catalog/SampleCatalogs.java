package org.city311.routing.catalog;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Catalogs for tests of other packages, read by the real loader. */
public final class SampleCatalogs {

    private static final Catalog SAMPLE_CITY = new CatalogLoader()
            .load(SampleCatalogs.class.getResourceAsStream("/catalog/sample-city.yml"));

    private SampleCatalogs() {
    }

    /** The sample city shipped for local runs, with its districts and rules. */
    public static Catalog sampleCity() {
        return SAMPLE_CITY;
    }

    /** A catalog from text, with the files it names (such as its districts) given by name. */
    public static Catalog load(String yaml, Map<String, String> files) {
        return loader(files).load(stream(yaml));
    }

    static CatalogLoader loader(Map<String, String> files) {
        return new CatalogLoader(name -> files.containsKey(name) ? stream(files.get(name)) : null);
    }

    static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The 1-based line of the first line holding {@code text}. */
    static int lineOf(String document, String text) {
        String[] lines = document.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(text)) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("no line holds " + text);
    }
}
