package org.city311.platform.test.modules.acyclic;

import org.springframework.modulith.Modulith;

/** The same two feature packages with the dependency one way only: what the modules tests accept. */
@Modulith
public class AcyclicApplication {
}
