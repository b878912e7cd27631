package org.city311.routing.geo;

import java.util.List;

import org.locationtech.jts.algorithm.locate.IndexedPointInAreaLocator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;

/**
 * A GeoJSON Polygon or MultiPolygon in GeoJSON order (longitude, latitude): the shape of a district, on JTS. Points on
 * an edge belong to the area ({@code covers}, not {@code contains}). Immutable, and safe to share between threads:
 * the point locator's index is built here, once.
 */
public final class Area {

    /** Plane coordinates at double precision: a city is small enough for straight edges. */
    static final GeometryFactory GEOMETRIES = new GeometryFactory();

    private final Geometry shape;
    private final IndexedPointInAreaLocator locator;

    private Area(List<Polygon> polygons) {
        if (polygons.isEmpty()) {
            throw new IllegalArgumentException("has no polygon");
        }
        this.shape = polygons.size() == 1 ? polygons.get(0).shape() : GEOMETRIES.createMultiPolygon(
                polygons.stream().map(Polygon::shape).toArray(org.locationtech.jts.geom.Polygon[]::new));
        // polygons of one area that overlap or share an edge would leave points between them undefined
        Polygon.requireSimple(shape);
        this.locator = new IndexedPointInAreaLocator(shape);
        // builds the locator's index now, rather than at the first request routed by district
        locator.locate(new Coordinate(0, 0));
    }

    public static Area of(List<Polygon> polygons) {
        return new Area(polygons);
    }

    public static Area of(Polygon... polygons) {
        return new Area(List.of(polygons));
    }

    /** Inside if inside one of its polygons; on the boundary if on the edge of one (a hole's edge included). */
    public Location locate(double longitude, double latitude) {
        return switch (locator.locate(new Coordinate(longitude, latitude))) {
            case org.locationtech.jts.geom.Location.INTERIOR -> Location.INSIDE;
            case org.locationtech.jts.geom.Location.BOUNDARY -> Location.BOUNDARY;
            default -> Location.OUTSIDE;
        };
    }

    /** The smallest box around the area: {west, south, east, north}. */
    public double[] boundingBox() {
        Envelope box = shape.getEnvelopeInternal();
        return new double[] { box.getMinX(), box.getMinY(), box.getMaxX(), box.getMaxY() };
    }

    /** Whether the point lies in the area or on its edge. */
    public boolean contains(double longitude, double latitude) {
        return locate(longitude, latitude) != Location.OUTSIDE;
    }

    /**
     * Whether the two areas share any interior. Areas that only touch, along a shared border or at a point, do not
     * overlap; nor does an area that fills another's hole exactly.
     */
    public boolean overlaps(Area other) {
        return shape.relate(other.shape).matches("T********");
    }
}
