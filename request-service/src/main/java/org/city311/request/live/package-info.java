/**
 * Live updates: every change to a request the filer follows, as Server-Sent Events, from any instance.
 */
package org.city311.request.live;
