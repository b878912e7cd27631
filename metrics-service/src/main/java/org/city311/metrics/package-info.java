/**
 * metrics-service: folds every event into per-department service levels ({@code servicelevel}), exposed to Prometheus;
 * scorecards and the runaround over a window ({@code scorecard}); the city's goals and their guards ({@code goal}).
 */
package org.city311.metrics;
