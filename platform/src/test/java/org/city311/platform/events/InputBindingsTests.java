package org.city311.platform.events;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.cloud.stream.binder.ExtendedConsumerProperties;
import org.springframework.cloud.stream.binder.kafka.properties.KafkaConsumerProperties;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InputBindingsTests {

    @Test
    void shouldRefuseToStartWhenAGatherNamesABindingNotInBatchMode() {
        // given a gather configured for a per-message binding, where no batch would ever be gathered
        InputBindings inputs = new InputBindings(new BindingShutdown(Duration.ofSeconds(3)), null, null,
                new MockEnvironment(), new BindingProperties(Duration.ofSeconds(3),
                        Map.of("catalogEvents-in-0", Duration.ofMillis(500))));
        ExtendedConsumerProperties<KafkaConsumerProperties> properties =
                new ExtendedConsumerProperties<>(new KafkaConsumerProperties());
        properties.populateBindingName("catalogEvents-in-0");
        var container = new KafkaMessageListenerContainer<>(new DefaultKafkaConsumerFactory<>(Map.of()),
                new ContainerProperties("city311.catalog"));

        // then the service does not start, saying which setting is wrong
        assertThatThrownBy(() -> inputs.configure(container, "city311.catalog", "request-service", null, null,
                properties)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("city311.bindings.gather.catalogEvents-in-0");
    }
}
