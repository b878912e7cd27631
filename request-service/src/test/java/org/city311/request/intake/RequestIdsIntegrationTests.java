package org.city311.request.intake;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.mongodb.MongoClientSettings;
import com.mongodb.ConnectionString;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.city311.platform.test.MongoWireTestServer;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Request numbers, against the Mongo-wire store: unique, in order on an instance, one counter write per block. */
class RequestIdsIntegrationTests {

    private final AtomicInteger counterWrites = new AtomicInteger();
    private final MongoClient client = MongoClients.create(MongoClientSettings.builder()
            .applyConnectionString(new ConnectionString(MongoWireTestServer.uri()))
            .addCommandListener(new CommandListener() {
                @Override
                public void commandStarted(CommandStartedEvent event) {
                    if (event.getCommandName().equals("findAndModify")) {
                        counterWrites.incrementAndGet();
                    }
                }
            }).build());
    private final ReactiveMongoTemplate mongo = new ReactiveMongoTemplate(client,
            "request-ids-" + System.nanoTime());

    @AfterEach
    void closeClient() {
        client.close();
    }

    @Test
    void shouldGiveOneHundredConcurrentFilingsDistinctNumbersWithOneCounterWritePerBlock() {
        // given an instance taking numbers in blocks of 20
        RequestIds ids = new RequestIds(mongo, new RequestIds.NumberProperties(20, 1));

        // when 100 filings ask for a number at once
        List<String> numbers = Flux.range(0, 100).flatMap(i -> ids.next(), 100).collectList()
                .block(Duration.ofSeconds(30));

        // then each has its own, from 311-00000001 to 311-00000100, for five writes of the counter
        assertThat(Set.copyOf(numbers)).hasSize(100);
        assertThat(numbers).allMatch(number -> number.matches("311-\\d{8}"));
        assertThat(numbers.stream().sorted().toList().get(0)).isEqualTo("311-00000001");
        assertThat(numbers.stream().sorted().toList().get(99)).isEqualTo("311-00000100");
        assertThat(counterWrites).hasValue(5);
    }

    @Test
    void shouldNeverHandOutANumberTwiceAcrossInstancesOrRestarts() {
        // given two instances, and a third started after the first stopped mid-block
        RequestIds first = new RequestIds(mongo, new RequestIds.NumberProperties(20, 1));
        RequestIds second = new RequestIds(mongo, new RequestIds.NumberProperties(20, 1));
        List<String> numbers = new CopyOnWriteArrayList<>();

        // when they file in turns
        for (int i = 0; i < 30; i++) {
            numbers.add(first.next().block(Duration.ofSeconds(10)));
            numbers.add(second.next().block(Duration.ofSeconds(10)));
        }
        RequestIds restarted = new RequestIds(mongo, new RequestIds.NumberProperties(20, 1));
        numbers.add(restarted.next().block(Duration.ofSeconds(10)));

        // then no number is given twice, each instance's numbers increase, and the restarted one starts a new block
        assertThat(Set.copyOf(numbers)).hasSize(61);
        List<String> ofFirst = java.util.stream.IntStream.range(0, 30).mapToObj(i -> numbers.get(2 * i)).toList();
        assertThat(ofFirst).isSorted();
        assertThat(numbers.get(60)).isEqualTo("311-00000081");
    }

    @Test
    void shouldStartAfterTheNumbersOfAnEarlierSystem() {
        // given a city whose earlier system numbered up to 311-04999999
        RequestIds ids = new RequestIds(mongo, new RequestIds.NumberProperties(20, 5_000_000));

        // when three requests are filed, and an instance starts after the first stopped
        List<String> numbers = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 3; i++) {
            numbers.add(ids.next().block(Duration.ofSeconds(10)));
        }
        numbers.add(new RequestIds(mongo, new RequestIds.NumberProperties(20, 5_000_000)).next()
                .block(Duration.ofSeconds(10)));

        // then they are numbered on from 311-05000000, the next block after the first's 20
        assertThat(numbers).containsExactly("311-05000000", "311-05000001", "311-05000002", "311-05000020");
        // and a first number past eight digits is refused at start
        assertThatIllegalArgumentException().isThrownBy(() -> new RequestIds.NumberProperties(20, 100_000_000))
                .withMessageContaining("city311.request-numbers.first");
    }
}
