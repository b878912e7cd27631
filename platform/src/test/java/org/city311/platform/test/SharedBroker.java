package org.city311.platform.test;

import java.util.Map;

import org.city311.contracts.Topics;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * One embedded Kafka broker (KRaft) for all the integration test classes of a test JVM that do not start one of their
 * own with {@code @EmbeddedKafka}: started by the first that asks, stopped when the JVM ends. Starting and stopping a
 * broker per class cost about four seconds a class.
 * <p>
 * Classes that share it see each other's events on the topics. A service's consumer groups carry on from where the
 * previous class's context left them (their offsets are committed as events are handled, and the previous context
 * is closed before the next one starts), so a class reads only what is published while it runs; a test that reads a
 * topic itself picks out its own requests by id. A class that reads a whole topic and counts it, that needs one
 * partition, or that rebuilds from the beginning of the topics keeps a broker of its own.
 */
public final class SharedBroker {

    /** Partitions of every topic, as the local run gives the services' topics (production has more). */
    static final int PARTITIONS = 3;

    private static EmbeddedKafkaKraftBroker broker;

    private SharedBroker() {
    }

    /** The shared broker's address, starting it the first time. */
    public static synchronized String brokers() {
        if (broker == null) {
            EmbeddedKafkaKraftBroker started = new EmbeddedKafkaKraftBroker(1, PARTITIONS,
                    Topics.all().toArray(String[]::new));
            // topics the tests create by writing to them (dead letters) get as many partitions
            started.brokerProperties(Map.of("num.partitions", String.valueOf(PARTITIONS)));
            started.afterPropertiesSet();
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroy, "shared-broker-stop"));
            broker = started;
        }
        return broker.getBrokersAsString();
    }
}
