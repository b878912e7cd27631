package org.city311.deploy.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Fault scenario 4: injects poison into every topic of the platform (not JSON; JSON that is no CloudEvent; an event
 * type in a version nobody reads; a known type whose data breaks its schema), then checks that every consumer group
 * reading a topic set each poison aside in its dead-letter topic ({@code <topic>.dlq.<group>}) with the reason in
 * the headers, and that nothing else reached a dead-letter topic since {@code --since}. Exit code 0 only then.
 */
public final class Poison {

    /** The platform's topics and the event type each carries first; the poison imitates it. */
    private static final Map<String, String> TOPICS = Map.of(
            "city311.requests", "city311.request.created",
            "city311.routing", "city311.request.routed",
            "city311.feedback", "city311.feedback.received",
            "city311.catalog", "city311.catalog.published");

    /**
     * The services reading each topic, as bound in their application.yml (a dead-letter topic
     * {@code <topic>.dlq.<service>} each): the only readers judged. The catalog's readers are groups of their own per
     * instance ({@code request-service-catalog-<uuid>}, {@code feedback-service-calendars-<uuid>}, each instance
     * holding the whole catalog) that set poison aside under the service's name; on the local run, one instance each.
     * Another group on the broker (a bench's, an operator's tool) may never read a poison at all, so it is listed, not
     * expected to dead-letter anything.
     */
    static final Map<String, Set<String>> CONSUMERS = Map.of(
            "city311.requests", Set.of("routing-service", "feedback-service", "metrics-service"),
            "city311.routing", Set.of("request-service", "feedback-service", "metrics-service"),
            "city311.feedback", Set.of("request-service", "routing-service", "metrics-service"),
            "city311.catalog", Set.of("request-service", "feedback-service"));

    private Poison() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Options.parse(args, 0);
        String bootstrap = options.getOrDefault("bootstrap", "127.0.0.1:9092");
        Instant since = Instant.ofEpochMilli(Long.parseLong(options.getOrDefault("since", "0")));
        String run = "poison-" + UUID.randomUUID().toString().substring(0, 8);

        Map<String, Set<String>> readersByTopic = readers(bootstrap);
        Map<String, Integer> injected = inject(bootstrap, run);
        Map<String, Integer> expected = new TreeMap<>();
        readersByTopic.forEach((topic, groups) -> groups.forEach(group ->
                expected.put(topic + ".dlq." + group, injected.get(topic))));
        System.out.printf("injected %d poison records (%s) into %d topics read by %s%n",
                injected.values().stream().mapToInt(Integer::intValue).sum(), run, injected.size(), readersByTopic);

        // each reader sets the poison aside within a couple of minutes, whatever its retries
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        DeadLetters letters;
        do {
            Thread.sleep(5000);
            letters = deadLetters(bootstrap, since, run);
        }
        while (!letters.poisonByTopic().equals(expected) && Instant.now().isBefore(deadline));

        System.out.printf("%-44s %8s %8s%n", "dead-letter topic", "expected", "found");
        Set<String> all = new java.util.TreeSet<>(expected.keySet());
        all.addAll(letters.poisonByTopic().keySet());
        for (String topic : all) {
            System.out.printf("%-44s %8d %8d%n", topic, expected.getOrDefault(topic, 0),
                    letters.poisonByTopic().getOrDefault(topic, 0));
        }
        letters.others().forEach(other -> System.err.println("dead-lettered, not injected: " + other));
        letters.withoutReason().forEach(key -> System.err.println("dead-lettered without a reason header: " + key));
        System.out.printf("%-44s %8d%n", "dead-lettered, not injected", letters.others().size());
        boolean ok = letters.poisonByTopic().equals(expected) && letters.others().isEmpty()
                && letters.withoutReason().isEmpty();
        System.out.println(ok ? "PASS" : "FAIL");
        System.exit(ok ? 0 : 1);
    }

    /** Which consumer groups read each topic: the services' own; any other group found is said, not judged. */
    private static Map<String, Set<String>> readers(String bootstrap) throws Exception {
        Map<String, Set<String>> readers = new TreeMap<>();
        CONSUMERS.forEach((topic, groups) -> readers.put(topic, new java.util.TreeSet<>(groups)));
        Set<String> others = new java.util.TreeSet<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            for (ConsumerGroupListing group : admin.listConsumerGroups().all().get()) {
                admin.listConsumerGroupOffsets(group.groupId()).partitionsToOffsetAndMetadata().get().keySet()
                        .stream().map(TopicPartition::topic).filter(TOPICS::containsKey)
                        .filter(topic -> !isServiceReader(topic, group.groupId()))
                        .forEach(topic -> others.add(group.groupId()));
            }
        }
        if (!others.isEmpty()) {
            System.out.println("other consumer groups on the platform's topics (not judged): " + others);
        }
        return readers;
    }

    /**
     * Whether a consumer group is a service's own reader of the topic: the service's group, or one named after it
     * (the catalog's per-instance groups, whatever the binding calls them).
     */
    static boolean isServiceReader(String topic, String group) {
        return CONSUMERS.getOrDefault(topic, Set.of()).stream()
                .anyMatch(service -> group.equals(service) || group.startsWith(service + "-"));
    }

    /** The poison imitating an event {@code type}: not JSON, no CloudEvent, a version nobody reads, a broken body. */
    private static List<String> poison(String type, String run) {
        return List.of(
                "not json at all {",
                "{\"hello\": \"a JSON document, but no CloudEvent\"}",
                cloudEvent(type + ".v99", run, "{\"requestId\": \"" + run + "\"}"),
                cloudEvent(type + ".v1", run, "{}"));
    }

    /** Sends the poison to every topic; how many records each topic got. */
    private static Map<String, Integer> inject(String bootstrap, String run) throws Exception {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        Map<String, Integer> injected = new TreeMap<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            for (Map.Entry<String, String> topic : new TreeMap<>(TOPICS).entrySet()) {
                List<String> bodies = poison(topic.getValue(), run);
                for (int i = 0; i < bodies.size(); i++) {
                    String key = run + "-" + i;
                    ProducerRecord<String, String> record = new ProducerRecord<>(topic.getKey(), key, bodies.get(i));
                    record.headers().add("content-type",
                            "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
                    producer.send(record).get();
                }
                injected.put(topic.getKey(), bodies.size());
            }
        }
        return injected;
    }

    private static String cloudEvent(String type, String subject, String data) {
        return """
                {"specversion": "1.0", "id": "%s", "source": "/city311/fault-test", "type": "%s",
                 "subject": "%s", "time": "%s", "datacontenttype": "application/json", "data": %s}"""
                .formatted(UUID.randomUUID(), type, subject, Instant.now(), data);
    }

    record DeadLetters(Map<String, Integer> poisonByTopic, List<String> others, List<String> withoutReason) {
    }

    /** Every record on a dead-letter topic since {@code since}: this run's poison counted per topic, the rest listed. */
    private static DeadLetters deadLetters(String bootstrap, Instant since, String run) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, Integer> poison = new TreeMap<>();
        List<String> others = new ArrayList<>();
        List<String> withoutReason = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.listTopics().entrySet().stream()
                    .filter(topic -> topic.getKey().contains(".dlq."))
                    .flatMap(topic -> topic.getValue().stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition())))
                    .collect(Collectors.toList());
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> query = partitions.stream()
                    .collect(Collectors.toMap(p -> p, p -> since.toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(query);
            for (TopicPartition partition : partitions) {
                OffsetAndTimestamp start = starts.get(partition);
                consumer.seek(partition, start == null ? ends.get(partition) : start.offset());
            }
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))
                    && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
                    if (key.startsWith(run + "-")) {
                        poison.merge(record.topic(), 1, Integer::sum);
                        if (record.headers().lastHeader("x-exception-message") == null) {
                            withoutReason.add(record.topic() + " " + key);
                        }
                    }
                    else {
                        others.add(record.topic() + " key " + key);
                    }
                }
            }
        }
        return new DeadLetters(poison, others, withoutReason);
    }
}
