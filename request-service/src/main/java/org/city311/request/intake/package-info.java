/**
 * Intake: staff file a request for a resident or their own department; the request is checked against its service's
 * definition, numbered, and stored with its request-created event in one write.
 */
package org.city311.request.intake;
