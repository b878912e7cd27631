/**
 * Scorecards: every measure per department over a window, rankings, trends, and the runaround per service and filing
 * team.
 */
package org.city311.metrics.scorecard;
