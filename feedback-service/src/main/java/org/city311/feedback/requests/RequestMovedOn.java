package org.city311.feedback.requests;

/**
 * Something happened to a request that left it in another status than resolved (reopened, closed, transferred,
 * ...): a survey window opened by an earlier resolution has ended. One of the {@link RequestsChanged}.
 */
public record RequestMovedOn(String requestId, String status, long sequence) implements RequestChange {
}
