/**
 * The requests the signed-in staff member filed, with their live updates relayed to the browser.
 */
package org.city311.console.mine;
