/**
 * The knowledge check: take it, see the answers explained, and the reminder when one is due.
 */
package org.city311.console.quiz;
