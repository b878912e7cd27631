/**
 * One request as staff see it, and search over all of them.
 */
package org.city311.console.requests;
