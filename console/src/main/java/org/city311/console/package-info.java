/**
 * The console: server-rendered pages for call-takers, departments and operations, and public department pages, over the
 * services' APIs with the signed-in user's own token. It keeps nothing but sessions.
 */
package org.city311.console;
