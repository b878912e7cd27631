/**
 * Satisfaction surveys: whom to invite after a resolution, the secret link, the page and its one answer, the survey
 * window and its expiry, and the mail that carries the link.
 */
package org.city311.feedback.survey;
