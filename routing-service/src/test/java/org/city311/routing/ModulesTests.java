package org.city311.routing;

import org.junit.jupiter.api.Test;

import org.city311.platform.test.FeaturePackages;

/**
 * The feature packages are modules (Spring Modulith): no cycle between them, none reaching into another's
 * sub-packages, and each saying in its {@code package-info.java} what it is for.
 */
class ModulesTests {

    @Test
    void shouldKeepTheFeaturePackagesApartAndDescribed() {
        FeaturePackages.verify(RoutingServiceApplication.class);
    }
}
