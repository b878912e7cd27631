package org.city311.request.duplicates;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The grid of the open requests' cells: where a point falls, and which cells a box covers. */
class CellGridTests {

    @Test
    void shouldPutAPointInTheCellOfItsThousandthsOfADegree() {
        // given a point in Manhattan (west of Greenwich, north of the equator)
        // when its cell is named
        String cell = CellGrid.cell("pothole", 40.7301, -73.9901);

        // then it is the row of 40.730 and the column 106.009 degrees east of the antimeridian
        assertThat(cell).isEqualTo("pothole|40730|106009");
        assertThat(CellGrid.columnWidth(40730)).isEqualTo(0.001);
    }

    @Test
    void shouldCoverEveryCellABoxTouchesAcrossTheGreenwichMeridianAndTheEquator() {
        // given a box 2 thousandths wide around (0, 0)
        // when its cells are listed
        List<String> cells = CellGrid.covering("pothole", -0.0015, 0.0005, -0.0015, 0.0005);

        // then they are the 3 rows by 3 columns it touches, negative ones included
        assertThat(cells).containsExactly("pothole|-2|179998", "pothole|-2|179999", "pothole|-2|180000",
                "pothole|-1|179998", "pothole|-1|179999", "pothole|-1|180000",
                "pothole|0|179998", "pothole|0|179999", "pothole|0|180000");
        // and every point of the box lies in one of them
        for (double lat = -0.0015; lat <= 0.0005; lat += 0.0001) {
            for (double lon = -0.0015; lon <= 0.0005; lon += 0.0001) {
                assertThat(cells).contains(CellGrid.cell("pothole", lat, lon));
            }
        }
    }

    @Test
    void shouldCoverEveryPointOfABoxWestOfGreenwichInTheSouth() {
        // given a box of about 100 m around a point in Buenos Aires
        double lat = -34.6037;
        double lon = -58.3816;
        List<String> cells = CellGrid.covering("streetlight-out", lat - 0.0009, lat + 0.0009, lon - 0.0011,
                lon + 0.0011);

        // then each point in it falls in a listed cell, and a point just outside does not
        for (double dLat = -0.0009; dLat <= 0.0009; dLat += 0.00005) {
            for (double dLon = -0.0011; dLon <= 0.0011; dLon += 0.00005) {
                assertThat(cells).contains(CellGrid.cell("streetlight-out", lat + dLat, lon + dLon));
            }
        }
        assertThat(cells).doesNotContain(CellGrid.cell("streetlight-out", lat + 0.003, lon));
        assertThat(cells).hasSizeLessThanOrEqualTo(3 * 4);
    }

    @Test
    void shouldWidenColumnsTowardsThePolesSoThatABoxCoversFewCells() {
        // given rows at 60°, 80° and next to the north pole
        // then their columns are doubled to stay no wider than a row is tall
        assertThat(CellGrid.columnWidth(CellGrid.row(60.5))).isEqualTo(0.001 * 2);
        assertThat(CellGrid.columnWidth(CellGrid.row(80.5))).isEqualTo(0.001 * 4);
        assertThat(CellGrid.columnWidth(CellGrid.row(-80.5))).isEqualTo(0.001 * 4);
        assertThat(CellGrid.columnWidth(CellGrid.MAX_ROW)).isEqualTo(0.001 * (1 << 15));
        // and a box of a kilometre at 89.99° covers a bounded number of cells
        double dLat = 1000 / 111_320.0;
        double dLon = dLat / Math.max(0.01, Math.cos(Math.toRadians(89.99)));
        assertThat(CellGrid.covering("other", 89.99 - dLat, 89.99 + dLat, 10 - dLon, 10 + dLon))
                .hasSizeLessThan(500);
    }

    @Test
    void shouldClampABoxThatReachesBeyondAPoleOrTheAntimeridian() {
        // given boxes that reach past 90° and past 180°
        List<String> north = CellGrid.covering("other", 89.9995, 90.0005, 179.9, 180.2);
        List<String> south = CellGrid.covering("other", -90.0005, -89.9995, -180.2, -179.9);

        // then they stop at the last row and column, and the poles and ±180° fall in those cells
        assertThat(north).contains(CellGrid.cell("other", 90, 180)).allMatch(cell -> cell.contains("|89999|"));
        assertThat(south).contains(CellGrid.cell("other", -90, -180)).allMatch(cell -> cell.contains("|-90000|"));
        assertThat(CellGrid.cell("other", 90, 180)).isEqualTo("other|89999|" + (CellGrid.columns(89999) - 1));
        assertThat(CellGrid.cell("other", -90, -180)).isEqualTo("other|-90000|0");
    }
}
