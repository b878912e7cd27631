package org.city311.request.live;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Live updates' settings ({@code city311.live}).
 *
 * @param maxStreamsPerUser live streams one caller may hold open on one instance; opening one more closes their
 *        oldest (env {@code CITY311_LIVE_MAX_STREAMS_PER_USER})
 */
@Validated
@ConfigurationProperties("city311.live")
record LiveProperties(@DefaultValue("5") @Min(1) int maxStreamsPerUser) {
}
