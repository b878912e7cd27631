/**
 * request-service: takes requests in from staff and Open311 clients, keeps each one's timeline, and streams its changes
 * to the staff member who filed it. The request itself ({@code ServiceRequest}, one document with its timeline and the
 * events still to publish), its statuses and the indexes live here; each feature package below reads and changes it.
 */
package org.city311.request;
