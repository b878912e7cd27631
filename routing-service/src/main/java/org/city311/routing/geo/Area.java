package org.city311.routing.geo;

import java.util.ArrayList;
import java.util.List;

/**
 * A GeoJSON Polygon or MultiPolygon in GeoJSON order (longitude, latitude): the shape of a district. Points on an
 * edge belong to the area. Immutable.
 */
public final class Area {

    private final List<Polygon> polygons;

    private Area(List<Polygon> polygons) {
        if (polygons.isEmpty()) {
            throw new IllegalArgumentException("has no polygon");
        }
        this.polygons = List.copyOf(polygons);
    }

    public static Area of(List<Polygon> polygons) {
        return new Area(polygons);
    }

    public static Area of(Polygon... polygons) {
        return new Area(List.of(polygons));
    }

    /** Inside if inside any polygon; on the boundary if on the edge of one (a hole's edge included). */
    public Location locate(double longitude, double latitude) {
        Location result = Location.OUTSIDE;
        for (Polygon polygon : polygons) {
            Location location = polygon.locate(longitude, latitude);
            if (location == Location.INSIDE) {
                return location;
            }
            if (location == Location.BOUNDARY) {
                result = location;
            }
        }
        return result;
    }

    /** The smallest box around the area: {west, south, east, north}. */
    public double[] boundingBox() {
        double[] box = { Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE };
        for (Ring ring : rings()) {
            for (int i = 0; i < ring.size(); i++) {
                box[0] = Math.min(box[0], ring.x(i));
                box[1] = Math.min(box[1], ring.y(i));
                box[2] = Math.max(box[2], ring.x(i));
                box[3] = Math.max(box[3], ring.y(i));
            }
        }
        return box;
    }

    /** Whether the point lies in the area or on its edge. */
    public boolean contains(double longitude, double latitude) {
        return locate(longitude, latitude) != Location.OUTSIDE;
    }

    /**
     * Whether the two areas share any interior: an edge of one crosses an edge of the other, or a vertex, the
     * midpoint of an edge, or an interior point of one lies strictly inside the other. Areas that only touch, along
     * a shared border or at a point, do not overlap.
     */
    public boolean overlaps(Area other) {
        List<Ring> mine = rings();
        List<Ring> theirs = other.rings();
        for (Ring a : mine) {
            for (Ring b : theirs) {
                if (edgesCross(a, b)) {
                    return true;
                }
            }
        }
        return anyProbeStrictlyInside(other) || other.anyProbeStrictlyInside(this);
    }

    private boolean anyProbeStrictlyInside(Area other) {
        for (double[] probe : probes()) {
            if (other.locate(probe[0], probe[1]) == Location.INSIDE) {
                return true;
            }
        }
        return false;
    }

    /** Points that lie in this area: every vertex, every edge's midpoint and an interior point of each polygon. */
    private List<double[]> probes() {
        List<double[]> probes = new ArrayList<>();
        for (Ring ring : rings()) {
            for (int i = 0; i < ring.size(); i++) {
                probes.add(new double[] { ring.x(i), ring.y(i) });
                probes.add(new double[] { (ring.x(i) + ring.nextX(i)) / 2, (ring.y(i) + ring.nextY(i)) / 2 });
            }
        }
        for (Polygon polygon : polygons) {
            double[] interior = polygon.interiorPoint();
            if (interior != null) {
                probes.add(interior);
            }
        }
        return probes;
    }

    private List<Ring> rings() {
        return polygons.stream().flatMap(polygon -> polygon.rings().stream()).toList();
    }

    private static boolean edgesCross(Ring a, Ring b) {
        for (int i = 0; i < a.size(); i++) {
            for (int j = 0; j < b.size(); j++) {
                if (Segments.cross(a.x(i), a.y(i), a.nextX(i), a.nextY(i), b.x(j), b.y(j), b.nextX(j), b.nextY(j))) {
                    return true;
                }
            }
        }
        return false;
    }
}
