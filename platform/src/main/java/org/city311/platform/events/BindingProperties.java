package org.city311.platform.events;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param stopTimeout at shutdown, how long the input bindings (all stopped at once) may take to finish the records
 *        in hand; see {@link BindingShutdown}
 * @param gather by batch binding name, how long after a batch arrived its consumer polls again, so that under load
 *        a poll brings the events of that time for one bulk write ({@link PollGather}). An idle consumer's fetch
 *        waits at the broker ({@code fetch.max.wait.ms}) and is answered as soon as an event arrives, so the gather
 *        costs nothing while idle and delays an event by at most this under load. Bindings not named poll again at
 *        once.
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

    /** How long after a batch arrived the named binding's consumer polls again: at once unless configured. */
    public Duration gather(String binding) {
        return gather.getOrDefault(binding, Duration.ZERO);
    }
}
