/**
 * The services directory: search as you type, in the resident's own words.
 */
package org.city311.routing.directory;
