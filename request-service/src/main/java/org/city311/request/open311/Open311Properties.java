package org.city311.request.open311;

import java.time.Duration;
import java.time.Instant;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The Open311 endpoint's settings. The defaults serve the sample city; none of them is a secret.
 *
 * @param jurisdictionId the one jurisdiction served: {@code jurisdiction_id} may be left out, or must be this
 * @param devApiKey a key registered at start for the client "local development" (env
 *        {@code CITY311_OPEN311_DEV_API_KEY}); run.sh sets it, production leaves it unset
 * @param maxBodySize larger POST bodies are refused with 413 before they are parsed
 * @param changeset when the endpoint's discovery information last changed
 * @param contact who to ask about the API, shown in discovery
 * @param keyService how a client application gets its api_key, shown in discovery
 * @param tokenWait how long GET tokens/{token} waits for a batch request's id before answering the token alone:
 *        FixMyStreet looks a token up once, right after posting, and posts the report again if no id comes back
 * @param rateLimit how many Open311 calls one client address may make: beyond it, 429 with Retry-After
 * @param keyCache how long a key that checked out is taken as it was without reading it again: the longest another
 *        instance goes on accepting a key revoked on one ({@code 0}: read every time)
 */
@ConfigurationProperties("city311.open311")
record Open311Properties(
        @DefaultValue("samplecity.example") String jurisdictionId,
        String devApiKey,
        @DefaultValue("256KB") DataSize maxBodySize,
        @DefaultValue("2026-11-23T00:00:00Z") Instant changeset,
        @DefaultValue("Sample City 311, open311@samplecity.example") String contact,
        @DefaultValue("Ask Sample City 311 (open311@samplecity.example) for an api_key, one per client application")
        String keyService,
        @DefaultValue("5s") Duration tokenWait,
        @DefaultValue RateLimit rateLimit,
        @DefaultValue("30s") Duration keyCache) {

    /**
     * @param perAddress calls per period from one client address (the connection's, or what a trusted proxy
     *        forwarded: {@code city311.web.trusted-proxies})
     * @param period the period over which they are earned back, evenly
     * @param maxTracked addresses remembered at once (idle ones are forgotten first, throttled ones never)
     */
    record RateLimit(@DefaultValue("600") int perAddress, @DefaultValue("1m") Duration period,
            @DefaultValue("100000") int maxTracked) {
    }
}
