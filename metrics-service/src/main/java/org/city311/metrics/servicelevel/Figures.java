package org.city311.metrics.servicelevel;

import java.time.Instant;
import java.util.Map;

/** Where the fold puts what an event adds to the service levels. */
interface Figures {

    /** Adds one to a counter. */
    void count(Metric metric, Map<String, String> labels, Instant at);

    /** Records one value (seconds, or a score) in a histogram. */
    void observe(Metric metric, Map<String, String> labels, double value, Instant at);
}
