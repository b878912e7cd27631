package org.city311.metrics.servicelevel;

import org.springframework.stereotype.Component;

/**
 * The instance that owns partition 0: the one that exposes city-wide figures (goals), so that summing every
 * instance's series in PromQL counts them once.
 */
@Component
public class LeadInstance {

    private final ServiceLevels serviceLevels;

    LeadInstance(ServiceLevels serviceLevels) {
        this.serviceLevels = serviceLevels;
    }

    public boolean isLead() {
        return serviceLevels.owned().contains(0);
    }
}
