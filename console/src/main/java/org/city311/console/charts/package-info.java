/**
 * Charts drawn as SVG on the server: trends, histograms, rankings.
 */
package org.city311.console.charts;
