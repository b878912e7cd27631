/**
 * Business hours and days: a department's published opening hours and holidays, against which routing-service
 * counts due times and feedback-service the follow-ups' due dates.
 */
package org.city311.platform.calendar;
