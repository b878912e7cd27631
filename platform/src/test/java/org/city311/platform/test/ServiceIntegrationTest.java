package org.city311.platform.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;
import java.util.UUID;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.WebTestClientBuilderCustomizer;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.test.context.ContextConfiguration;

/**
 * A service started whole, on a random port, against the real Kafka broker of the class's {@code @EmbeddedKafka} (or,
 * without one, the broker the test JVM's classes share: {@link SharedBroker}) and the Mongo-wire store, in a database
 * of its own, checking bearer tokens from {@link TestTokens}, its time read from a {@link TestClock} (a bean the test
 * may autowire to let time pass).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
// Warnings and errors only: the build log stays readable, and a failure's cause stands out.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "logging.level.root=WARN", "logging.level.org.city311=INFO" })
@AutoConfigureWebTestClient
@ContextConfiguration(initializers = ServiceIntegrationTest.Infrastructure.class)
public @interface ServiceIntegrationTest {

    /** Points the service at the test broker and store. */
    class Infrastructure implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        /** For a service a test starts by hand: the broker it names; else the context's own, or the shared one. */
        private final String brokers;

        public Infrastructure() {
            this(null);
        }

        /** For a service a test class starts by hand beside the broker of its {@code @EmbeddedKafka}. */
        public Infrastructure(String brokers) {
            this.brokers = brokers;
        }

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            // The broker address is a JVM-wide system property that each context's broker sets as it starts: a
            // test resuming a cached context after another class started (or stopped) a broker of its own would
            // read that one's. Read ahead of it, this context's own broker, registered by @EmbeddedKafka (or, for a
            // service started by hand, the broker its test names), or, for a class without one, the broker the test
            // JVM's classes share (SharedBroker).
            context.getEnvironment().getPropertySources().addFirst(new PropertySource<Object>("city311-test-broker") {

                @Override
                public Object getProperty(String name) {
                    if (!EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS.equals(name)) {
                        return null;
                    }
                    if (context.getBeanFactory().containsSingleton(EmbeddedKafkaBroker.BEAN_NAME)) {
                        return ((EmbeddedKafkaBroker) context.getBeanFactory()
                                .getSingleton(EmbeddedKafkaBroker.BEAN_NAME)).getBrokersAsString();
                    }
                    String named = brokers != null ? brokers : SharedBroker.brokers();
                    // the binder's own context reads the placeholder from the system properties, not from here: point
                    // them at this broker too (the last class with a broker of its own left them on that one)
                    System.setProperty(EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS, named);
                    return named;
                }
            });
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("city311-test", Map.of(
                    "spring.mongodb.uri", MongoWireTestServer.uri(),
                    "spring.mongodb.database", "test_" + UUID.randomUUID().toString().substring(0, 8),
                    "spring.cloud.stream.kafka.binder.brokers", "${spring.embedded.kafka.brokers}",
                    "spring.kafka.bootstrap-servers", "${spring.embedded.kafka.brokers}",
                    "city311.security.jwt.public-key-location", TestTokens.publicKeyLocation())));
            // A test that names no caller calls as staff who also administer; access tests send their own token.
            WebTestClientBuilderCustomizer standardCaller = builder -> builder.filter((request, next) ->
                    next.exchange(request.headers().containsHeader(HttpHeaders.AUTHORIZATION) ? request
                            : ClientRequest.from(request).header(HttpHeaders.AUTHORIZATION, TestTokens.standard())
                                    .build()));
            context.getBeanFactory().registerSingleton("city311StandardTestCaller", standardCaller);
            context.getBeanFactory().registerSingleton("clock", new TestClock());
        }
    }
}
