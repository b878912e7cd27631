package org.city311.routing.geo;

import java.util.List;

import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.LinearRing;

/**
 * A closed line of positions in GeoJSON order (longitude, latitude), as plane coordinates: a city is small enough
 * for straight edges between its vertices. Immutable.
 */
public final class Ring {

    private final LinearRing line;

    private Ring(LinearRing line) {
        this.line = line;
    }

    /**
     * A ring from its GeoJSON positions, each {@code [longitude, latitude]}; the last repeats the first.
     *
     * @throws IllegalArgumentException if the ring has fewer than 4 positions or is not closed
     */
    public static Ring of(List<double[]> positions) {
        // checked here, before JTS, to say it in the words of the districts file's problems
        if (positions.size() < 4) {
            throw new IllegalArgumentException("has " + positions.size() + " positions; a ring needs at least 4");
        }
        double[] first = positions.get(0);
        double[] last = positions.get(positions.size() - 1);
        if (first[0] != last[0] || first[1] != last[1]) {
            throw new IllegalArgumentException("is not closed: its last position must repeat the first");
        }
        Coordinate[] coordinates = positions.stream().map(position -> new Coordinate(position[0], position[1]))
                .toArray(Coordinate[]::new);
        return new Ring(Area.GEOMETRIES.createLinearRing(coordinates));
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

    LinearRing line() {
        return line;
    }
}
