/**
 * "This is the same": callers added to an open request instead of a second filing.
 */
package org.city311.request.reporters;
