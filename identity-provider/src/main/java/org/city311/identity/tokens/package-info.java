/**
 * What the tokens are signed with (the local key, with DevTokens' key id) and what they say: the claims the
 * services read ({@code roles}, {@code department}, {@code name}) and the platform's audience.
 */
package org.city311.identity.tokens;
