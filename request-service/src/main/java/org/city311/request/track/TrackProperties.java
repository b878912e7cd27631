package org.city311.request.track;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The public tracking read's own flood protection ({@code city311.track}), apart from Open311's: every visitor of
 * the console's public pages comes through the console, which forwards their address.
 *
 * @param rateLimit how many tracking reads one client address may make: beyond it, 429 with Retry-After
 */
@ConfigurationProperties("city311.track")
record TrackProperties(@DefaultValue RateLimit rateLimit) {

    /**
     * @param perAddress reads per period from one client address (the connection's, or what a trusted proxy such as
     *        the console forwarded: {@code city311.web.trusted-proxies})
     * @param period the period over which they are earned back, evenly
     * @param maxTracked addresses remembered at once (idle ones are forgotten first, throttled ones never)
     */
    record RateLimit(@DefaultValue("60") int perAddress, @DefaultValue("1m") Duration period,
            @DefaultValue("100000") int maxTracked) {
    }
}
