/**
 * The service catalog: which department provides which service to what published standard; read and checked from its
 * file or the admin API, kept in force, published on the catalog topic, and shown on department pages.
 */
package org.city311.routing.catalog;
