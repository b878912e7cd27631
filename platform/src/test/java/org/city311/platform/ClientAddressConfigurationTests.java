package org.city311.platform;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.city311.platform.web.ClientAddressFilter;
import org.city311.platform.web.WebProperties;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientAddressConfigurationTests {

    private final PlatformAutoConfiguration.ClientAddresses configuration =
            new PlatformAutoConfiguration.ClientAddresses();

    @Test
    void shouldRefuseToStartWhenSpringWouldBelieveForwardedHeadersFromAnyone() {
        for (String strategy : List.of("native", "FRAMEWORK")) {
            MockEnvironment environment = new MockEnvironment()
                    .withProperty("server.forward-headers-strategy", strategy);

            assertThatThrownBy(() -> configuration.clientAddressFilter(new WebProperties(List.of()), environment))
                    .as(strategy).hasMessageContaining("city311.web.trusted-proxies");
        }
    }

    @Test
    void shouldStartWithTheTrustedProxiesNamedAndSpringsOwnForwardingOff() {
        MockEnvironment unset = new MockEnvironment();
        MockEnvironment none = new MockEnvironment().withProperty("server.forward-headers-strategy", "none");

        assertThat(configuration.clientAddressFilter(new WebProperties(List.of("10.244.0.0/16", " ")), unset))
                .isInstanceOf(ClientAddressFilter.class);
        assertThat(configuration.clientAddressFilter(new WebProperties(null), none))
                .isInstanceOf(ClientAddressFilter.class);
        assertThatThrownBy(() -> configuration.clientAddressFilter(new WebProperties(List.of("ingress")), unset))
                .hasMessageContaining("'ingress' is not an IP address");
    }
}
