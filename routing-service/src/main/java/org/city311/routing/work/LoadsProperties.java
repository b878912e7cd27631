package org.city311.routing.work;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param recountEvery how often one instance counts the agents' loads again from the work ({@link LoadRecount}):
 *        the longest a load left wrong by a crash between two commands stays wrong
 * @param checkEvery how often an instance looks whether a count is due (without asking the store unless it is):
 *        how soon loads put in doubt are counted again
 */
@ConfigurationProperties("city311.routing.loads")
record LoadsProperties(@DefaultValue("10m") Duration recountEvery, @DefaultValue("1m") Duration checkEvery) {
}
