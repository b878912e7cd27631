package org.city311.feedback.survey;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How surveys are offered and kept.
 *
 * @param window how long the customer has to answer, and to ask for a reopen, after a resolution; a request still
 *        resolved when it ends is closed (routing-service, on survey-expired)
 * @param baseUrl where residents reach this service: the survey links start with it
 * @param sampling the share of resolved requests surveyed, by service code, 0.0 to 1.0 (1.0 when not listed);
 *        decided from the request id, so that every redelivery decides the same
 * @param resendAfterReopen departments whose policy is to survey again when a reopened request is resolved again
 * @param sweepInterval how often the sweep of survey windows and invitations checks whether one ends; it reads the
 *        store only when the earliest end it knows of has come, or a full sweep is due
 * @param deliveryInterval how often new invitations (and retries that have come due) are handed to the notifier;
 *        they are read by id, from what this instance made
 * @param fullSweepInterval the safety net: how often the sweep, and the delivery, look through the whole store for
 *        work that this instance was not told about (another instance's, or left by one that stopped); also at start
 */
@ConfigurationProperties("city311.surveys")
public record SurveyProperties(
        @DefaultValue("14d") Duration window,
        @DefaultValue("http://localhost:8083") String baseUrl,
        Map<String, Double> sampling,
        List<String> resendAfterReopen,
        @DefaultValue("60s") Duration sweepInterval,
        @DefaultValue("2s") Duration deliveryInterval,
        @DefaultValue("5m") Duration fullSweepInterval,
        @DefaultValue Mail mail,
        @DefaultValue RateLimit rateLimit) {

    public SurveyProperties {
        sampling = sampling == null ? Map.of() : Map.copyOf(sampling);
        resendAfterReopen = resendAfterReopen == null ? List.of() : List.copyOf(resendAfterReopen);
        baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /**
     * The SMTP adapter of the notifier ({@code spring.mail.*} says which server).
     *
     * @param enabled send invitations by e-mail to residents who gave an address and consent
     * @param from the sender address
     * @param requestServiceUrl request-service's API, where the resident's contact details are looked up
     * @param lookupTimeout how long to wait for request-service
     * @param contactWait how long after the invitation the contact is asked for again, while request-service does
     *        not yet show the request resolved or does not answer; then the survey is left to staff, by phone
     * @param zone the city's time zone, in which the e-mail gives the survey's last day
     * @param identity how feedback-service proves who it is to request-service
     */
    public record Mail(
            @DefaultValue("false") boolean enabled,
            @DefaultValue("surveys@city311.example") String from,
            @DefaultValue("http://localhost:8081") String requestServiceUrl,
            @DefaultValue("3s") Duration lookupTimeout,
            @DefaultValue("10m") Duration contactWait,
            @DefaultValue("America/New_York") ZoneId zone,
            @DefaultValue Identity identity) {
    }

    /**
     * feedback-service's own identity (role {@code survey-sender}): a client-credentials token from the city's
     * identity provider when {@code tokenUri} is set; in the local run, a token signed with the local key.
     *
     * @param tokenUri the provider's token endpoint
     * @param clientId feedback-service's client id there
     * @param clientSecret its secret (from a secret store, never a file in git)
     * @param scope scopes to ask for, if the provider grants roles by scope
     * @param privateKeyLocation the local run's private key ({@code var/jwt/private.pem})
     */
    public record Identity(
            String tokenUri,
            @DefaultValue("feedback-service") String clientId,
            String clientSecret,
            String scope,
            String privateKeyLocation) {
    }

    /**
     * Flood protection of the public survey pages and responses, per instance.
     *
     * @param perAddress requests a client address may make per period
     * @param perToken submissions one survey token may receive per period
     * @param maxTracked how many addresses and tokens are remembered at most (idle ones are forgotten first)
     */
    public record RateLimit(
            @DefaultValue("60") int perAddress,
            @DefaultValue("5") int perToken,
            @DefaultValue("1m") Duration period,
            @DefaultValue("100000") int maxTracked) {
    }
}
