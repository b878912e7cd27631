/**
 * Where a request stands and how it got there: routing and feedback events read into the timelines, staff's view of a
 * request, search, and the audit trail.
 */
package org.city311.request.status;
