package org.city311.platform.outbox;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.city311.platform.events.BindingShutdown;
import org.springframework.cloud.stream.binding.InputBindingLifecycle;

import static org.assertj.core.api.Assertions.assertThat;

/** Spring stops lifecycle beans from the highest phase down: the relay must come after every consumer. */
class OutboxRelayPhaseTests {

    @Test
    void shouldStopAfterTheInputBindingsSoThatItsLastPassPublishesWhatTheyWrote() {
        int bindings = new InputBindingLifecycle(null, Map.of()).getPhase();

        assertThat(BindingShutdown.PHASE).as("all bindings stopped at once, just before their own phase")
                .isGreaterThan(bindings);
        assertThat(OutboxRelay.PHASE).as("the relay's last pass after the bindings").isLessThan(bindings);
    }
}
