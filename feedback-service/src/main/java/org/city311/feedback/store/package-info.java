/**
 * Store helpers shared by the features: bulk writes that say which statements the store took, and due-time sweeps that
 * read the store only when something falls due.
 */
package org.city311.feedback.store;
