/**
 * What feedback-service knows of requests, folded from request-service's and routing-service's topics, and the changes
 * (resolved, moved on) the surveys act on.
 */
package org.city311.feedback.requests;
