package org.city311.platform.test.modules.cyclic;

import org.springframework.modulith.Modulith;

/** A service whose two feature packages use each other: the cycle the modules tests must refuse. */
@Modulith
public class CyclicApplication {
}
