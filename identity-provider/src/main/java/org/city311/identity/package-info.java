/**
 * The local run's OpenID Connect provider (Spring Authorization Server): {@code users} (who may sign in, from the
 * catalog's departments, and their passwords file), {@code signin} (the sign-in page and the security chains),
 * {@code clients} (the console's two registered clients), {@code tokens} (the local key and the claims the services
 * read).
 */
package org.city311.identity;
