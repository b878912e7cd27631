package org.city311.routing.geo;

import java.util.List;
import java.util.Locale;

import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.locationtech.jts.operation.valid.TopologyValidationError;

/** A GeoJSON polygon: an outer ring and any number of holes. Immutable. */
public final class Polygon {

    private final org.locationtech.jts.geom.Polygon shape;

    private Polygon(org.locationtech.jts.geom.Polygon shape) {
        this.shape = shape;
    }

    /**
     * @throws IllegalArgumentException if the outer ring encloses no area, a hole lies outside it, or a ring crosses
     *         itself or another (a hole may touch its outer ring at a point, not along an edge)
     */
    public static Polygon of(Ring outer, List<Ring> holes) {
        org.locationtech.jts.geom.Polygon shell = Area.GEOMETRIES.createPolygon(outer.line());
        if (shell.getArea() == 0) {
            throw new IllegalArgumentException("its outer ring encloses no area");
        }
        // JTS's predicates are only defined on valid shapes: the outer ring is checked before anything is asked of it
        requireSimple(shell);
        for (int h = 0; h < holes.size(); h++) {
            org.locationtech.jts.geom.Polygon hole = Area.GEOMETRIES.createPolygon(holes.get(h).line());
            try {
                requireSimple(hole);
            }
            catch (IllegalArgumentException crossed) {
                throw new IllegalArgumentException("hole " + (h + 1) + " " + crossed.getMessage());
            }
            // a hole may touch its outer ring at a point, as a point on an edge is in the area
            if (!shell.covers(hole)) {
                throw new IllegalArgumentException("hole " + (h + 1) + " is not inside its outer ring");
            }
        }
        org.locationtech.jts.geom.Polygon shape = Area.GEOMETRIES.createPolygon(outer.line(),
                holes.stream().map(Ring::line).toArray(LinearRing[]::new));
        requireSimple(shape);
        return new Polygon(shape);
    }

    /**
     * Refuses a shape JTS finds invalid (a ring that crosses itself or another, a hole along its outer ring's edge),
     * saying what and where.
     */
    static void requireSimple(Geometry shape) {
        TopologyValidationError error = new IsValidOp(shape).getValidationError();
        if (error != null) {
            throw new IllegalArgumentException("is not a simple area: " + error.getMessage().toLowerCase(Locale.ROOT)
                    + " at [" + error.getCoordinate().x + ", " + error.getCoordinate().y + "]");
        }
    }

    public static Polygon of(Ring outer, Ring... holes) {
        return of(outer, List.of(holes));
    }

    org.locationtech.jts.geom.Polygon shape() {
        return shape;
    }
}
