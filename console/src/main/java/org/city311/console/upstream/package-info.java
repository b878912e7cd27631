/**
 * The services' APIs as the pages call them, with the signed-in user's token (or the console's own for public pages),
 * and their problems turned into messages.
 */
package org.city311.console.upstream;
