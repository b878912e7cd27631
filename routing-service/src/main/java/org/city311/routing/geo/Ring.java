package org.city311.routing.geo;

import java.util.List;

/**
 * A closed line of positions in GeoJSON order (longitude, latitude), as plane coordinates: a city is small enough
 * for straight edges between its vertices. Immutable.
 */
public final class Ring {

    /** Below this, a cross product counts as zero: a point this close to an edge lies on it. */
    static final double EPSILON = 1e-12;

    private final double[] x;
    private final double[] y;

    private Ring(double[] x, double[] y) {
        this.x = x;
        this.y = y;
    }

    /**
     * A ring from its GeoJSON positions, each {@code [longitude, latitude]}; the last repeats the first.
     *
     * @throws IllegalArgumentException if the ring has fewer than 4 positions or is not closed
     */
    public static Ring of(List<double[]> positions) {
        if (positions.size() < 4) {
            throw new IllegalArgumentException("has " + positions.size() + " positions; a ring needs at least 4");
        }
        double[] first = positions.get(0);
        double[] last = positions.get(positions.size() - 1);
        if (first[0] != last[0] || first[1] != last[1]) {
            throw new IllegalArgumentException("is not closed: its last position must repeat the first");
        }
        int vertices = positions.size() - 1;
        double[] x = new double[vertices];
        double[] y = new double[vertices];
        for (int i = 0; i < vertices; i++) {
            x[i] = positions.get(i)[0];
            y[i] = positions.get(i)[1];
        }
        return new Ring(x, y);
    }

    /** Shorthand for tests and literals: {@code Ring.of(lon0, lat0, lon1, lat1, ..., lon0, lat0)}. */
    public static Ring of(double... lonLat) {
        if (lonLat.length % 2 != 0) {
            throw new IllegalArgumentException("needs longitude, latitude pairs");
        }
        double[][] positions = new double[lonLat.length / 2][];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = new double[] { lonLat[2 * i], lonLat[2 * i + 1] };
        }
        return of(List.of(positions));
    }

    /** The number of distinct vertices (the closing position is not counted again). */
    int size() {
        return x.length;
    }

    double x(int i) {
        return x[i];
    }

    double y(int i) {
        return y[i];
    }

    double nextX(int i) {
        return x[(i + 1) % x.length];
    }

    double nextY(int i) {
        return y[(i + 1) % y.length];
    }

    /** Twice the signed area (shoelace formula); zero for a ring that encloses nothing. */
    double doubleSignedArea() {
        double sum = 0;
        for (int i = 0; i < size(); i++) {
            sum += x(i) * nextY(i) - nextX(i) * y(i);
        }
        return sum;
    }

    boolean onBoundary(double px, double py) {
        for (int i = 0; i < size(); i++) {
            if (Segments.contains(x(i), y(i), nextX(i), nextY(i), px, py)) {
                return true;
            }
        }
        return false;
    }

    /** Ray casting (even-odd): whether the point is enclosed, for a point known not to lie on the ring. */
    boolean encloses(double px, double py) {
        boolean inside = false;
        for (int i = 0, j = size() - 1; i < size(); j = i++) {
            if ((y[i] > py) != (y[j] > py) && px < (x[j] - x[i]) * (py - y[i]) / (y[j] - y[i]) + x[i]) {
                inside = !inside;
            }
        }
        return inside;
    }
}
