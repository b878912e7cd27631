/**
 * Service levels for operations: scorecards, goals, runaround and misrouting.
 */
package org.city311.console.levels;
