package org.city311.routing.geo;

/** Plane geometry of line segments. */
final class Segments {

    private Segments() {
    }

    /** Positive if c lies left of a→b, negative if right, zero (within {@link Ring#EPSILON}) if on the line. */
    static int orientation(double ax, double ay, double bx, double by, double cx, double cy) {
        double cross = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
        return Math.abs(cross) <= Ring.EPSILON ? 0 : cross > 0 ? 1 : -1;
    }

    /** Whether p lies on the segment a–b, its end points included. */
    static boolean contains(double ax, double ay, double bx, double by, double px, double py) {
        return orientation(ax, ay, bx, by, px, py) == 0
                && px >= Math.min(ax, bx) - Ring.EPSILON && px <= Math.max(ax, bx) + Ring.EPSILON
                && py >= Math.min(ay, by) - Ring.EPSILON && py <= Math.max(ay, by) + Ring.EPSILON;
    }

    /**
     * Whether the segments a–b and c–d cross at one point inside both. Segments that only touch (at an end point,
     * or running along each other) do not cross.
     */
    static boolean cross(double ax, double ay, double bx, double by, double cx, double cy, double dx, double dy) {
        int abc = orientation(ax, ay, bx, by, cx, cy);
        int abd = orientation(ax, ay, bx, by, dx, dy);
        int cda = orientation(cx, cy, dx, dy, ax, ay);
        int cdb = orientation(cx, cy, dx, dy, bx, by);
        return abc * abd < 0 && cda * cdb < 0;
    }
}
