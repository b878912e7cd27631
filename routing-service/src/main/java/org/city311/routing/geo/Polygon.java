package org.city311.routing.geo;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** A GeoJSON polygon: an outer ring and any number of holes. Immutable. */
public final class Polygon {

    private final Ring outer;
    private final List<Ring> holes;

    private Polygon(Ring outer, List<Ring> holes) {
        this.outer = outer;
        this.holes = List.copyOf(holes);
    }

    /**
     * @throws IllegalArgumentException if the outer ring encloses no area or a hole lies outside it
     */
    public static Polygon of(Ring outer, List<Ring> holes) {
        if (outer.doubleSignedArea() == 0) {
            throw new IllegalArgumentException("its outer ring encloses no area");
        }
        for (int h = 0; h < holes.size(); h++) {
            Ring hole = holes.get(h);
            for (int i = 0; i < hole.size(); i++) {
                if (!outer.onBoundary(hole.x(i), hole.y(i)) && !outer.encloses(hole.x(i), hole.y(i))) {
                    throw new IllegalArgumentException("hole " + (h + 1) + " is not inside its outer ring");
                }
            }
        }
        return new Polygon(outer, holes);
    }

    public static Polygon of(Ring outer, Ring... holes) {
        return of(outer, List.of(holes));
    }

    public Location locate(double longitude, double latitude) {
        for (Ring ring : rings()) {
            if (ring.onBoundary(longitude, latitude)) {
                return Location.BOUNDARY;
            }
        }
        if (!outer.encloses(longitude, latitude)) {
            return Location.OUTSIDE;
        }
        for (Ring hole : holes) {
            if (hole.encloses(longitude, latitude)) {
                return Location.OUTSIDE;
            }
        }
        return Location.INSIDE;
    }

    List<Ring> rings() {
        List<Ring> rings = new ArrayList<>(holes.size() + 1);
        rings.add(outer);
        rings.addAll(holes);
        return rings;
    }

    /**
     * A point strictly inside: on a horizontal line that passes through no vertex, the midpoint of the widest
     * stretch that lies inside (even-odd over all rings, so holes are left out).
     */
    double[] interiorPoint() {
        TreeSet<Double> ys = new TreeSet<>();
        for (Ring ring : rings()) {
            for (int i = 0; i < ring.size(); i++) {
                ys.add(ring.y(i));
            }
        }
        double[] best = null;
        double bestWidth = -1;
        Double previous = null;
        for (double y : ys) {
            if (previous != null) {
                double[] candidate = widestInsideStretch((previous + y) / 2);
                if (candidate != null && candidate[2] > bestWidth) {
                    best = candidate;
                    bestWidth = candidate[2];
                }
            }
            previous = y;
        }
        return best == null ? null : new double[] { best[0], best[1] };
    }

    /** {x, y, width} of the widest stretch of the line at y that lies inside, or null if none. */
    private double[] widestInsideStretch(double y) {
        List<Double> crossings = new ArrayList<>();
        for (Ring ring : rings()) {
            for (int i = 0; i < ring.size(); i++) {
                double y1 = ring.y(i);
                double y2 = ring.nextY(i);
                if ((y1 > y) != (y2 > y)) {
                    double x1 = ring.x(i);
                    double x2 = ring.nextX(i);
                    crossings.add(x1 + (y - y1) * (x2 - x1) / (y2 - y1));
                }
            }
        }
        crossings.sort(null);
        double[] best = null;
        for (int i = 0; i + 1 < crossings.size(); i += 2) {
            double width = crossings.get(i + 1) - crossings.get(i);
            if (width > 0 && (best == null || width > best[2])) {
                best = new double[] { (crossings.get(i) + crossings.get(i + 1)) / 2, y, width };
            }
        }
        return best;
    }
}
