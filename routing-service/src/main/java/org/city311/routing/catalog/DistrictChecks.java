package org.city311.routing.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.city311.routing.geo.GeoJson;

/**
 * Reads and checks the districts file a catalog names: a GeoJSON file next to it, each district with a code, inside
 * the city's bounds, none overlapping another. A district refused for its shape is still declared, so that rules
 * naming it are not also refused as naming an unknown district.
 */
final class DistrictChecks {

    private static final Pattern RELATIVE_FILE = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*");

    private DistrictChecks() {
    }

    /**
     * @param usable the districts that can be put in force
     * @param declared the code of every district the file declares, even of one refused for its shape
     * @param unreadable whether the file named could not be read at all (so its districts are unknown)
     */
    record DistrictsRead(List<Catalog.District> usable, Set<String> declared, boolean unreadable) {

        static final DistrictsRead NONE = new DistrictsRead(List.of(), Set.of(), false);
        static final DistrictsRead UNREADABLE = new DistrictsRead(List.of(), Set.of(), true);
    }

    static DistrictsRead read(Catalog catalog, Function<String, InputStream> resolver, List<String> problems) {
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
            if (feature.code() == null || !CatalogLoader.CODE.matcher(feature.code()).matches()) {
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
}
