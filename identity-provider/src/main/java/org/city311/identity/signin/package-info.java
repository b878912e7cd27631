/**
 * Signing in: the sign-in page, and the two security chains (the authorization server's endpoints; the form and
 * everything else).
 */
package org.city311.identity.signin;
