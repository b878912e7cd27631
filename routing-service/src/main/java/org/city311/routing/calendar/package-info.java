/**
 * Due times: when a published standard falls due in its department's working hours and holidays, counted on the
 * department's business calendar (platform's {@code calendar.BusinessCalendar}). Pure functions.
 */
package org.city311.routing.calendar;
