/**
 * Staff ideas: submit one, follow its review, review a department's, and the recognised ones.
 */
package org.city311.console.ideas;
