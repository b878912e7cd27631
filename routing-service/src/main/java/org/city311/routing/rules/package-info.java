/**
 * Routing rules: which department a request goes to, by service, district and attributes. Pure functions.
 */
package org.city311.routing.rules;
