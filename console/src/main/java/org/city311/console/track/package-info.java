/**
 * Public tracking of a request by its number.
 */
package org.city311.console.track;
