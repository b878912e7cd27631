/**
 * The administrators' page: the catalog and its problems, Open311 clients, misrouting per service.
 */
package org.city311.console.admin;
