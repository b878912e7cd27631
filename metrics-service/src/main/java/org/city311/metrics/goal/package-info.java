/**
 * The city's goals: baseline, target, progress, and the guard that flags a speed or volume goal met at the cost of
 * quality.
 */
package org.city311.metrics.goal;
