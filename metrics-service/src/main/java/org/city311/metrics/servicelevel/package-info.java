/**
 * The fold: each event counted once into its request's ledger, the ledgers kept in the store, and the service levels of
 * the partitions this instance owns on {@code /actuator/prometheus}.
 */
package org.city311.metrics.servicelevel;
