package org.city311.platform.events;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param stopTimeout at shutdown, how long the input bindings (all stopped at once) may take to finish the records
 *        in hand; see {@link BindingShutdown}
 * @param gather by binding name, how long its consumer waits between two polls, so that under load a poll brings
 *        the events of that time (a batch binding writes them with one bulk write). A quiet consumer's fetch waits
 *        at the broker ({@code fetch.max.wait.ms}) and is answered as soon as an event arrives, so the wait costs
 *        nothing while idle and delays an event by at most this under load. Bindings not named poll again at once.
 */
@ConfigurationProperties("city311.bindings")
public record BindingProperties(@DefaultValue("3s") Duration stopTimeout, Map<String, Duration> gather) {

    public BindingProperties {
        gather = gather == null ? Map.of() : Map.copyOf(gather);
        gather.forEach((binding, wait) -> {
            if (wait.isNegative()) {
                throw new IllegalArgumentException("city311.bindings.gather." + binding + " is negative: " + wait);
            }
        });
    }

    /** How long the named binding's consumer waits between two polls: none unless configured. */
    public Duration gather(String binding) {
        return gather.getOrDefault(binding, Duration.ZERO);
    }
}
