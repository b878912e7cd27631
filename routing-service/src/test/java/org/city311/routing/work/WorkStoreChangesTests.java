package org.city311.routing.work;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.bson.Document;
import org.junit.jupiter.api.Test;

import org.city311.platform.outbox.PendingEvent;
import org.springframework.data.mongodb.core.convert.MappingMongoConverter;
import org.springframework.data.mongodb.core.convert.MongoCustomConversions;
import org.springframework.data.mongodb.core.convert.NoOpDbRefResolver;
import org.springframework.data.mongodb.core.mapping.MongoMappingContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The write an action becomes: exactly the fields the state machine changed, set or unset, and never the outbox or
 * the applied events, which other writers touch outside the version guard. Without a store: the update is compared
 * as the document the driver would send.
 */
class WorkStoreChangesTests {

    static final MappingMongoConverter CONVERTER = converter();
    static final Instant NOW = WorkTransitionsTests.NOW;

    /** The converter as the service's store has it: instants and the like as the driver's own types. */
    static MappingMongoConverter converter() {
        MongoCustomConversions conversions = new MongoCustomConversions(List.of());
        MongoMappingContext context = new MongoMappingContext();
        context.setSimpleTypeHolder(conversions.getSimpleTypeHolder());
        context.afterPropertiesSet();
        MappingMongoConverter converter = new MappingMongoConverter(NoOpDbRefResolver.INSTANCE, context);
        converter.setCustomConversions(conversions);
        converter.afterPropertiesSet();
        return converter;
    }

    @Test
    void shouldSetWhatAnAcceptanceChangesAndNothingElse() {
        WorkItem routed = WorkTransitionsTests.item(WorkStatus.ROUTED);
        WorkItem accepted = WorkTransitionsTests.apply(routed, new WorkTransitions.Accept("m.rivera")).after();

        Document update = WorkStore.changes(CONVERTER, routed, accepted).getUpdateObject();

        assertThat(update.get("$set", Document.class)).containsOnlyKeys("status", "agent", "firstActionAt",
                "sequence", "updatedAt").containsEntry("status", "IN_PROGRESS").containsEntry("agent", "m.rivera")
                .containsEntry("sequence", 4L).containsEntry("firstActionAt", Date.from(NOW));
        assertThat(update).doesNotContainKey("$unset");
    }

    @Test
    void shouldUnsetTheHoldAndTheCustomersWordWhenAResolutionEndsThem() {
        WorkItem held = WorkTransitionsTests.apply(WorkTransitionsTests.item(WorkStatus.IN_PROGRESS),
                new WorkTransitions.Hold("parts", "public")).after()
                .withCustomerReportsFixed(new WorkItem.CustomerReport("FixMyStreet", NOW));
        WorkItem resolved = WorkTransitionsTests.MACHINE.apply(held, new WorkTransitions.Resolve("fixed", "Filled"),
                NOW.plus(Duration.ofHours(5))).orElseThrow().after();

        Document update = WorkStore.changes(CONVERTER, held, resolved).getUpdateObject();

        assertThat(update.get("$unset", Document.class)).containsOnlyKeys("heldSince", "statusBeforeHold",
                "customerReportsFixed");
        Document set = update.get("$set", Document.class);
        assertThat(set).containsOnlyKeys("status", "resolution", "firstActionAt", "pausedSeconds", "sequence",
                "updatedAt");
        assertThat(set.get("resolution", Document.class)).containsEntry("code", "fixed").containsEntry("note",
                "Filled").containsEntry("sequence", 5L);
        assertThat(set).containsEntry("pausedSeconds", Duration.ofHours(5).toSeconds());
    }

    @Test
    void shouldNeverWriteTheOutboxOrTheAppliedEventsWhateverTheyHold() {
        WorkItem before = WorkTransitionsTests.item(WorkStatus.ROUTED);
        PendingEvent pending = new PendingEvent("e-1", "city311.routing", "311-00000042",
                "city311.request.updated.v1", "{}", NOW);
        WorkItem after = WorkTransitionsTests.apply(before, new WorkTransitions.Note("public", "On our list"))
                .after().withPublished(pending, "client-7");

        Document update = WorkStore.changes(CONVERTER, before, after).getUpdateObject();

        assertThat(update.get("$set", Document.class)).containsOnlyKeys("sequence", "updatedAt");
        assertThat(update).containsOnlyKeys("$set");
        assertThat(after.outbox()).hasSize(1);
        assertThat(after.appliedEvents()).isEqualTo(List.of("client-7"));
    }
}
