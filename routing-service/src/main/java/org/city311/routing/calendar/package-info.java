/**
 * Business calendars and due times: when a published standard falls due in its department's working hours and holidays.
 * Pure functions.
 */
package org.city311.routing.calendar;
