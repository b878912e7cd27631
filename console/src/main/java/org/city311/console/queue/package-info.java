/**
 * A department's work queue and its actions.
 */
package org.city311.console.queue;
