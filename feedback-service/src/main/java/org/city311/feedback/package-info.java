/**
 * feedback-service: satisfaction surveys after resolution, feedback taken by staff, audits, the follow-up of negative
 * feedback, and staff ideas.
 */
package org.city311.feedback;
