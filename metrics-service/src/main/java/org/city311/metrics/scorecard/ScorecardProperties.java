package org.city311.metrics.scorecard;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the scorecards, trends and goals the API answers are kept (application.yml,
 * {@code city311.metrics.scorecards}).
 *
 * @param freshness how old an answer may be: each window's figures are computed from the store at most once in this
 *        time, whatever the number of page loads asking for them
 * @param cachedWindows how many windows (and trends) are kept at once; the least recently asked for leave first
 */
@ConfigurationProperties("city311.metrics.scorecards")
record ScorecardProperties(@DefaultValue("30s") Duration freshness, @DefaultValue("64") int cachedWindows) {
}
