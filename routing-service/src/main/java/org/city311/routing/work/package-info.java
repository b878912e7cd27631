/**
 * The departments' work: routing each request-created event to a work item, and the queue's actions on it (accept,
 * assign, hold, resume, transfer, resolve, reopen, close), each stored with the event it publishes.
 */
package org.city311.routing.work;
