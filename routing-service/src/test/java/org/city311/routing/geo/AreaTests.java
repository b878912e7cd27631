package org.city311.routing.geo;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Point in area (an edge is inside) and the overlap check between districts, on JTS. Positions are (longitude,
 * latitude).
 */
class AreaTests {

    /** The square 0..4 × 0..4 with the hole 1..2 × 1..2. */
    private static final Area SQUARE_WITH_HOLE = Area.of(Polygon.of(
            Ring.of(0, 0, 4, 0, 4, 4, 0, 4, 0, 0),
            Ring.of(1, 1, 2, 1, 2, 2, 1, 2, 1, 1)));

    @Test
    void shouldFindAPointInsideAndOutside() {
        assertThat(SQUARE_WITH_HOLE.locate(3, 3)).isEqualTo(Location.INSIDE);
        assertThat(SQUARE_WITH_HOLE.contains(3, 3)).isTrue();
        assertThat(SQUARE_WITH_HOLE.locate(5, 3)).isEqualTo(Location.OUTSIDE);
        assertThat(SQUARE_WITH_HOLE.locate(-0.0001, 2)).isEqualTo(Location.OUTSIDE);
        assertThat(SQUARE_WITH_HOLE.contains(2, -1)).isFalse();
    }

    @Test
    void shouldCountAPointOnAnEdgeOrAVertexAsInside() {
        assertThat(SQUARE_WITH_HOLE.locate(4, 2.5)).isEqualTo(Location.BOUNDARY);
        assertThat(SQUARE_WITH_HOLE.contains(4, 2.5)).isTrue();
        assertThat(SQUARE_WITH_HOLE.contains(0, 0)).isTrue();
        assertThat(SQUARE_WITH_HOLE.contains(1.5, 1)).as("on the hole's edge").isTrue();
    }

    @Test
    void shouldLeaveAPointInAHoleOutside() {
        assertThat(SQUARE_WITH_HOLE.locate(1.5, 1.5)).isEqualTo(Location.OUTSIDE);
    }

    @Test
    void shouldFindAPointOnADiagonalEdge() {
        Area triangle = Area.of(Polygon.of(Ring.of(-74.0, 40.0, -73.0, 40.0, -73.5, 41.0, -74.0, 40.0)));

        assertThat(triangle.locate(-73.75, 40.5)).isEqualTo(Location.BOUNDARY);
        assertThat(triangle.locate(-73.5, 40.5)).isEqualTo(Location.INSIDE);
        assertThat(triangle.locate(-73.9, 40.9)).isEqualTo(Location.OUTSIDE);
    }

    @Test
    void shouldFindAPointInAnyPolygonOfAMultiPolygon() {
        Area islands = Area.of(
                Polygon.of(Ring.of(0, 0, 1, 0, 1, 1, 0, 1, 0, 0)),
                Polygon.of(Ring.of(5, 5, 6, 5, 6, 6, 5, 6, 5, 5)));

        assertThat(islands.contains(0.5, 0.5)).isTrue();
        assertThat(islands.contains(5.5, 5.5)).isTrue();
        assertThat(islands.contains(3, 3)).as("between the islands").isFalse();
        assertThat(islands.contains(6, 5.5)).as("on the second island's shore").isTrue();
    }

    @Test
    void shouldRefuseAnOpenOrShortRingAHoleOutsideItsPolygonAndARingThatCrossesItself() {
        assertThatIllegalArgumentException().isThrownBy(() -> Ring.of(0, 0, 1, 0, 1, 1, 0, 1))
                .withMessageContaining("not closed");
        assertThatIllegalArgumentException().isThrownBy(() -> Ring.of(0, 0, 1, 0, 0, 0))
                .withMessageContaining("at least 4");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Polygon.of(Ring.of(0, 0, 1, 0, 1, 1, 0, 1, 0, 0), Ring.of(5, 5, 6, 5, 6, 6, 5, 5)))
                .withMessageContaining("hole 1 is not inside");
        assertThatIllegalArgumentException().isThrownBy(() -> Polygon.of(Ring.of(0, 0, 1, 1, 2, 2, 0, 0)))
                .withMessageContaining("no area");
        assertThatIllegalArgumentException().as("a bow tie")
                .isThrownBy(() -> Polygon.of(Ring.of(0, 0, 3, 3, 3, 0, 0, 1, 0, 0)))
                .withMessageContaining("not a simple area: self-intersection at [0.75");
        assertThatIllegalArgumentException().as("a hole along its outer ring's edge")
                .isThrownBy(() -> Polygon.of(Ring.of(0, 0, 4, 0, 4, 4, 0, 4, 0, 0),
                        Ring.of(0, 1, 1, 1, 1, 2, 0, 2, 0, 1)))
                .withMessageContaining("not a simple area");
        assertThatIllegalArgumentException().as("a hole that crosses itself")
                .isThrownBy(() -> Polygon.of(Ring.of(0, 0, 9, 0, 9, 9, 0, 9, 0, 0),
                        Ring.of(1, 1, 4, 4, 4, 1, 1, 2, 1, 1)))
                .withMessageContaining("hole 1 is not a simple area");
    }

    @Test
    void shouldRefuseAnAreaWhosePolygonsOverlapAsAPointBetweenThemWouldBeUndefined() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Area.of(Polygon.of(Ring.of(0, 0, 4, 0, 4, 4, 0, 4, 0, 0)),
                        Polygon.of(Ring.of(2, 2, 6, 2, 6, 6, 2, 6, 2, 2))))
                .withMessageContaining("not a simple area");
        // islands that only touch at a corner are one area
        assertThat(Area.of(Polygon.of(Ring.of(0, 0, 1, 0, 1, 1, 0, 1, 0, 0)),
                Polygon.of(Ring.of(1, 1, 2, 1, 2, 2, 1, 2, 1, 1))).contains(1.5, 1.5)).isTrue();
    }

    @Test
    void shouldLetAreasShareABorderOrACorner() {
        Area west = square(0, 0, 1);
        Area east = square(1, 0, 1);
        Area northEast = square(1, 1, 1);

        assertThat(west.overlaps(east)).isFalse();
        assertThat(west.overlaps(northEast)).isFalse();
        assertThat(east.overlaps(west)).isFalse();
    }

    @Test
    void shouldFindAreasThatCrossOrContainOneAnother() {
        Area base = square(0, 0, 2);

        assertThat(base.overlaps(square(1, 1, 2))).as("crossing edges").isTrue();
        assertThat(base.overlaps(square(0.5, 0.5, 1))).as("one inside the other").isTrue();
        assertThat(square(0.5, 0.5, 1).overlaps(base)).as("the other way round").isTrue();
        assertThat(base.overlaps(square(0, 0, 2))).as("the same square").isTrue();
        assertThat(base.overlaps(square(0, 0, 1))).as("a quarter sharing two edges").isTrue();
    }

    @Test
    void shouldLetAnAreaFillAnotherAreasHoleExactly() {
        Area park = Area.of(Polygon.of(Ring.of(1, 1, 2, 1, 2, 2, 1, 2, 1, 1)));

        assertThat(SQUARE_WITH_HOLE.overlaps(park)).isFalse();
        assertThat(park.overlaps(SQUARE_WITH_HOLE)).isFalse();
        assertThat(SQUARE_WITH_HOLE.overlaps(square(1.5, 1.5, 1))).as("sticking out of the hole").isTrue();
    }

    private static Area square(double west, double south, double side) {
        double east = west + side;
        double north = south + side;
        return Area.of(Polygon.of(Ring.of(west, south, east, south, east, north, west, north, west, south)));
    }
}
