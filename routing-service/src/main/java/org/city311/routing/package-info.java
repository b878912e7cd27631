/**
 * routing-service: the service catalog, routing rules and the departments' work queues. {@code catalog} says who
 * provides what, {@code rules} which department a request goes to, {@code work} how the department works it;
 * {@code calendar} counts due times in business hours, {@code geo} locates points in districts, {@code directory} finds
 * services in residents' words, {@code quiz} checks staff's knowledge of the catalog.
 */
package org.city311.routing;
