/**
 * The map's data: district outlines from the catalog and requests as markers.
 */
package org.city311.console.map;
