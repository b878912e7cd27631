/**
 * The departments' follow-up of negative feedback: opened, acknowledged, closed with its root cause, or overdue.
 */
package org.city311.feedback.followup;
