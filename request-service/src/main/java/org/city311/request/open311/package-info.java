/**
 * Open311 GeoReport v2 for outside clients (and FixMyStreet's updates extension): its own arguments, formats, api_keys
 * and error arrays over the same intake and requests.
 */
package org.city311.request.open311;
