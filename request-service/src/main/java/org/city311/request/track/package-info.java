/**
 * Public tracking by request number, without personal data or internal notes.
 */
package org.city311.request.track;
