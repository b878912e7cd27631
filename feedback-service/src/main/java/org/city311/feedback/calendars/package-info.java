/**
 * The departments' calendars (opening days, holidays, time zone), read from the catalog routing-service publishes on
 * {@code city311.catalog} and kept in the store: follow-ups fall due in the department's own business days.
 */
package org.city311.feedback.calendars;
