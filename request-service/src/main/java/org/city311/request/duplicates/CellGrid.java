package org.city311.request.duplicates;

import java.util.ArrayList;
import java.util.List;

/**
 * The fixed grid of requests' {@code cell}s ({@link PossibleDuplicates}): rows of {@value #STEP}° of latitude (about 111 m), each cut into
 * columns of {@value #STEP}° of longitude times the largest power of two that keeps a column no wider than a row is
 * tall at the row's equatorward edge. Cells are thus close to square everywhere (111 m by 79 m at 45°, by 111–56 m
 * wherever a column doubles), so a box of a given radius covers a bounded number of them at any latitude, even at
 * the poles, where a column grows to tens of degrees. Pure arithmetic: the same point always falls in the same cell.
 */
final class CellGrid {

    static final double STEP = 0.001;
    /** Rows run from -90° ({@code -MAX_ROW - 1}) to 90° ({@code MAX_ROW}, which holds 90° itself). */
    static final int MAX_ROW = 89_999;
    /** Columns never exceed half the globe (2^18 × 0.001° = 262°: two columns on the rows nearest a pole). */
    private static final int MAX_DOUBLING = 18;

    private CellGrid() {
    }

    /** The row of a latitude, clamped to [-90°, 90°]. */
    static int row(double latitude) {
        int row = (int) Math.floor(Math.max(-90, Math.min(90, latitude)) / STEP);
        return Math.max(-MAX_ROW - 1, Math.min(MAX_ROW, row));
    }

    /** How wide the row's columns are, in degrees of longitude. */
    static double columnWidth(int row) {
        double equatorward = (row >= 0 ? row : row + 1) * STEP;
        double stretch = 1 / Math.max(1e-12, Math.cos(Math.toRadians(equatorward)));
        int doubling = 0;
        while (doubling < MAX_DOUBLING && (1L << (doubling + 1)) <= stretch) {
            doubling++;
        }
        return STEP * (1L << doubling);
    }

    /** How many columns the row has (the last one may be narrower). */
    static int columns(int row) {
        return (int) Math.ceil(360 / columnWidth(row) - 1e-9);
    }

    /** The column of a longitude in that row, clamped to [-180°, 180°] (180° itself falls in the last column). */
    static int column(int row, double longitude) {
        double fromWest = Math.max(-180, Math.min(180, longitude)) + 180;
        return Math.min(columns(row) - 1, (int) Math.floor(fromWest / columnWidth(row)));
    }

    /** The cell a point of a service lies in: {@code <serviceCode>|<row>|<column>}. */
    static String cell(String serviceCode, double latitude, double longitude) {
        int row = row(latitude);
        return id(serviceCode, row, column(row, longitude));
    }

    /**
     * Every cell of a service that a box touches, its edges included; the box is clamped to the globe (no wrap at
     * the antimeridian: a city's box does not cross it).
     */
    static List<String> covering(String serviceCode, double minLatitude, double maxLatitude, double minLongitude,
            double maxLongitude) {
        List<String> cells = new ArrayList<>();
        if (minLatitude > maxLatitude || minLongitude > maxLongitude) {
            return cells;
        }
        for (int row = row(minLatitude), last = row(maxLatitude); row <= last; row++) {
            for (int column = column(row, minLongitude), end = column(row, maxLongitude); column <= end; column++) {
                cells.add(id(serviceCode, row, column));
            }
        }
        return cells;
    }

    private static String id(String serviceCode, int row, int column) {
        return serviceCode + "|" + row + "|" + column;
    }
}
