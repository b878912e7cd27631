/**
 * Staff ideas to improve a service, and their review by the department's supervisors.
 */
package org.city311.feedback.ideas;
