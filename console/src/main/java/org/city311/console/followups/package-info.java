/**
 * A department's follow-ups of negative feedback.
 */
package org.city311.console.followups;
