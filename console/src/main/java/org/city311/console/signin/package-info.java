/**
 * OpenID Connect sign-in, the session, and what the signed-in person may see and do.
 */
package org.city311.console.signin;
