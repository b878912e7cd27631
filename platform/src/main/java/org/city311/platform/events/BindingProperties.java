package org.city311.platform.events;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param stopTimeout at shutdown, how long the input bindings (all stopped at once) may take to finish the records
 *        in hand; see {@link BindingShutdown}
 */
@ConfigurationProperties("city311.bindings")
public record BindingProperties(@DefaultValue("3s") Duration stopTimeout) {
}
