/**
 * request-service's copy of the service catalog, read from the compacted catalog topic: what intake and Open311 need to
 * check a request against its service.
 */
package org.city311.request.catalog;
