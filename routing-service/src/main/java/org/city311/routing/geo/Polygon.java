package org.city311.routing.geo;

import java.util.List;
import java.util.Locale;

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
     *         itself or another
     */
    public static Polygon of(Ring outer, List<Ring> holes) {
        org.locationtech.jts.geom.Polygon shell = Area.GEOMETRIES.createPolygon(outer.line());
        if (shell.getArea() == 0) {
            throw new IllegalArgumentException("its outer ring encloses no area");
        }
        for (int h = 0; h < holes.size(); h++) {
            // a hole may touch its outer ring, as a point on an edge is in the area
            if (!shell.covers(Area.GEOMETRIES.createPolygon(holes.get(h).line()))) {
                throw new IllegalArgumentException("hole " + (h + 1) + " is not inside its outer ring");
            }
        }
        org.locationtech.jts.geom.Polygon shape = Area.GEOMETRIES.createPolygon(outer.line(),
                holes.stream().map(Ring::line).toArray(LinearRing[]::new));
        // a ring that crosses itself or another leaves inside and outside undefined: refused, as JTS's predicates
        // are only defined on valid shapes
        TopologyValidationError error = new IsValidOp(shape).getValidationError();
        if (error != null) {
            throw new IllegalArgumentException("is not a simple area: " + error.getMessage().toLowerCase(Locale.ROOT)
                    + " at [" + error.getCoordinate().x + ", " + error.getCoordinate().y + "]");
        }
        return new Polygon(shape);
    }

    public static Polygon of(Ring outer, Ring... holes) {
        return of(outer, List.of(holes));
    }

    org.locationtech.jts.geom.Polygon shape() {
        return shape;
    }
}
