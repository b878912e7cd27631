package org.city311.platform;

import java.time.Clock;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.mongodb.WriteConcern;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.NewTopic;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.city311.platform.events.BindingProperties;
import org.city311.platform.events.BindingShutdown;
import org.city311.platform.events.CloudEvents;
import org.city311.platform.events.InputBindings;
import org.city311.platform.outbox.OutboxProperties;
import org.city311.platform.outbox.OutboxRelay;
import org.city311.platform.web.ClientAddressFilter;
import org.city311.platform.web.ProblemDetailsAdvice;
import org.city311.platform.web.TrustedProxies;
import org.city311.platform.web.WebProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.cloud.stream.binder.kafka.utils.DlqDestinationResolver;
import org.springframework.cloud.stream.binder.kafka.utils.DlqPartitionFunction;
import org.springframework.cloud.stream.config.ListenerContainerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;

/** What every service gets by depending on the platform module. */
@AutoConfiguration
@EnableConfigurationProperties({ OutboxProperties.class, WebProperties.class, BindingProperties.class })
@Import(ProblemDetailsAdvice.class)
public class PlatformAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    CloudEvents cloudEvents(@Value("${spring.application.name}") String applicationName, Clock clock) {
        // The wire format is the contract's, independent of how the web layer's mapper is tuned.
        JsonMapper eventJson = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .changeDefaultPropertyInclusion(inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
                .build();
        return new CloudEvents(eventJson, "/city311/" + applicationName, clock);
    }

    @Bean
    @ConditionalOnProperty("city311.outbox.collections")
    OutboxRelay outboxRelay(ReactiveMongoTemplate mongo, KafkaTemplate<byte[], byte[]> kafka,
            OutboxProperties properties, MeterRegistry meters) {
        return new OutboxRelay(mongo, kafka, properties, meters);
    }

    /** A quick stop: every input binding stopped at once, each bounded (see {@link BindingShutdown}). */
    @Bean
    BindingShutdown bindingShutdown(BindingProperties properties) {
        return new BindingShutdown(properties.stopTimeout());
    }

    /**
     * The binder's one container customizer (it takes a single one): every binding's container registered for the
     * quick stop, batch bindings' gathers set, and their errors handled record by record (see
     * {@link InputBindings}).
     */
    @Bean
    @ConditionalOnMissingBean(ListenerContainerCustomizer.class)
    InputBindings inputBindings(BindingShutdown shutdown, ObjectProvider<DlqDestinationResolver> destinations,
            ObjectProvider<DlqPartitionFunction> partitions, Environment environment, BindingProperties bindings) {
        return new InputBindings(shutdown, destinations.getIfUnique(), partitions.getIfUnique(), environment,
                bindings);
    }

    /**
     * Writes are acknowledged once a majority of the replica set has them: after a failover, no request, work item
     * or ledger entry that a client or a consumer was told is stored is rolled back. A URI that names its own write
     * concern ({@code w=...}) keeps it. (The embedded Mongo-wire store accepts and ignores it.)
     */
    @Bean
    MongoClientSettingsBuilderCustomizer majorityWrites(@Value("${spring.mongodb.uri:}") String uri) {
        boolean uriNamesOne = uri.matches("(?i).*[?&]w=.*");
        return settings -> {
            if (!uriNamesOne) {
                settings.writeConcern(WriteConcern.MAJORITY);
            }
        };
    }

    /** The topics this service writes, created at start where missing (production provisions them itself). */
    @Bean
    KafkaAdmin.NewTopics outboxTopics(OutboxProperties properties) {
        return new KafkaAdmin.NewTopics(properties.topics().stream()
                .map(topic -> TopicBuilder.name(topic)
                        .partitions(properties.partitions())
                        .replicas(properties.replicationFactor())
                        .build())
                .toArray(NewTopic[]::new));
    }

    /**
     * The client's address is the connection's, or what a trusted proxy forwarded ({@code city311.web.trusted-proxies})
     * and nothing else: Reactor Netty's and Spring's own forwarded-header support believe anyone, and Spring Boot
     * turns Netty's on by itself on Kubernetes, so it is turned off here and may not be turned on.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    static class ClientAddresses {

        @Bean
        ClientAddressFilter clientAddressFilter(WebProperties properties, Environment environment) {
            String strategy = environment.getProperty("server.forward-headers-strategy", "");
            if (!strategy.isBlank() && !strategy.strip().equalsIgnoreCase("none")) {
                throw new IllegalStateException("server.forward-headers-strategy=" + strategy + " believes "
                        + "X-Forwarded-For from anyone: leave it unset and name the proxies to believe in "
                        + "city311.web.trusted-proxies");
            }
            return new ClientAddressFilter(new TrustedProxies(properties.trustedProxies()));
        }

        @Bean
        WebServerFactoryCustomizer<NettyReactiveWebServerFactory> nettyIgnoresForwardedHeaders() {
            return new NettyIgnoresForwardedHeaders();
        }
    }

    /** After Spring Boot's own customizer, which turns them on when it detects Kubernetes. */
    static final class NettyIgnoresForwardedHeaders
            implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory>, Ordered {

        @Override
        public void customize(NettyReactiveWebServerFactory factory) {
            factory.setUseForwardHeaders(false);
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
