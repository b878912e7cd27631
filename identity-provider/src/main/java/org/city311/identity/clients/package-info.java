/**
 * The console's two registered clients: {@code city311-console} signs people in (authorization code with PKCE,
 * refresh tokens), {@code city311-console-public} is the console's own identity for its public pages (client
 * credentials, role public-reader). Their secrets come from the environment.
 */
package org.city311.identity.clients;
