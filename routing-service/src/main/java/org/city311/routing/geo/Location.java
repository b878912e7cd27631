package org.city311.routing.geo;

/** Where a point lies relative to an area. */
public enum Location {
    INSIDE, BOUNDARY, OUTSIDE
}
