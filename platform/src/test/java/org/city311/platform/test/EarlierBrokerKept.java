package org.city311.platform.test;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For a test class whose context has a broker of its own ({@code @EmbeddedKafka} on the class): the broker address
 * other classes' tests read, a JVM-wide system property, is given back as it was before this class's context set it,
 * so that a class resuming an earlier cached context still finds its broker, as if this class had not run between.
 * Use with {@code @ExtendWith(EarlierBrokerKept.class)}.
 */
public final class EarlierBrokerKept implements BeforeAllCallback, AfterAllCallback {

    static final String BROKERS = "spring.embedded.kafka.brokers";
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            EarlierBrokerKept.class);
    /** Stands for "not set" in the store, which keeps no nulls. */
    private static final String NONE = "";

    @Override
    public void beforeAll(ExtensionContext context) {
        String before = System.getProperty(BROKERS);
        context.getStore(NAMESPACE).put(BROKERS, before == null ? NONE : before);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        String before = context.getStore(NAMESPACE).get(BROKERS, String.class);
        if (before == null || before.equals(NONE)) {
            System.clearProperty(BROKERS);
        }
        else {
            System.setProperty(BROKERS, before);
        }
    }
}
