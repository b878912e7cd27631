/**
 * Take a call: find the service in the resident's words, answer its questions, see duplicates nearby, file.
 */
package org.city311.console.call;
