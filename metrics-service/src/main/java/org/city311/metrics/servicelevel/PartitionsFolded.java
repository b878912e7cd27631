package org.city311.metrics.servicelevel;

import java.util.Set;

/**
 * Published once the fold has caught up after partitions were assigned (at start, or after a rebalance): their
 * stored ledgers are folded and every record that was on their topics at assignment has been read. Figures computed
 * from the store from then on include everything this instance was given (see {@link FoldCatchUp}).
 *
 * @param partitions the partitions this instance owns now
 */
public record PartitionsFolded(Set<Integer> partitions) {
}
