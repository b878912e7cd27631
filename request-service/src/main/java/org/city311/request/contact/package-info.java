/**
 * How a resident agreed to be reached about their request, read by feedback-service under its own identity to send the
 * survey.
 */
package org.city311.request.contact;
