/**
 * Districts as polygons, read from GeoJSON, and whether a point lies in one (a point on an edge is inside).
 */
package org.city311.routing.geo;
