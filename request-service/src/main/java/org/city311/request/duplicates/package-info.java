/**
 * Duplicates: open requests of the same service close by, offered before and while filing; linking a request to the one
 * it duplicates, which it then follows.
 */
package org.city311.request.duplicates;
