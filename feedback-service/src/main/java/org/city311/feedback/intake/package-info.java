/**
 * Feedback as staff take it (phone, comment cards) and auditors' evaluations, stored with the follow-up it opens and
 * the feedback-received event.
 */
package org.city311.feedback.intake;
