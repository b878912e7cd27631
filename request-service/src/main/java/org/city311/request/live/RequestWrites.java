package org.city311.request.live;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import com.mongodb.event.CommandFailedEvent;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.event.CommandSucceededEvent;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import org.city311.request.ServiceRequest;

/**
 * Sees every write that this service's MongoClient sends to the {@code requests} collection, whichever code sends
 * it (intake, the status consumer, notes, callers added, ...), and tells {@link ChangeSignals} the ids of the
 * requests it wrote once the store has acknowledged it: live updates then read those requests by {@code _id}
 * instead of searching every request by time. A write whose filter does not name its requests by {@code _id}
 * (a backfill at start) is told as {@link ChangeSignals#ANY}: readers then search by time once. It has no
 * dependencies, so that the client can be built with it.
 */
final class RequestWrites implements CommandListener {

    private static final Set<String> WRITES = Set.of("insert", "update", "findAndModify");

    /** Started writes on requests, by the driver's request id: the ids they write. */
    private final Map<Integer, Set<String>> started = new ConcurrentHashMap<>();
    private volatile Consumer<Set<String>> written = ids -> {
    };

    /** Who is told of acknowledged writes. */
    void onWritten(Consumer<Set<String>> consumer) {
        this.written = consumer;
    }

    @Override
    public void commandStarted(CommandStartedEvent event) {
        String name = event.getCommandName();
        BsonDocument command = event.getCommand();
        if (!WRITES.contains(name) || !command.isString(name)
                || !ServiceRequest.COLLECTION.equals(command.getString(name).getValue())) {
            return;
        }
        Set<String> ids = new LinkedHashSet<>();
        switch (name) {
            case "insert" -> command.getArray("documents", new org.bson.BsonArray())
                    .forEach(document -> add(document.asDocument().get("_id"), ids));
            case "update" -> command.getArray("updates", new org.bson.BsonArray())
                    .forEach(update -> add(update.asDocument().getDocument("q", new BsonDocument()).get("_id"), ids));
            default -> add(command.getDocument("query", new BsonDocument()).get("_id"), ids);
        }
        if (!ids.isEmpty()) {
            started.put(event.getRequestId(), ids);
        }
    }

    @Override
    public void commandSucceeded(CommandSucceededEvent event) {
        Set<String> ids = started.remove(event.getRequestId());
        if (ids != null) {
            written.accept(ids);
        }
    }

    @Override
    public void commandFailed(CommandFailedEvent event) {
        started.remove(event.getRequestId());
    }

    /** The ids a filter's {@code _id} names: a value, {@code $eq} or {@code $in}; anything else is any request. */
    private static void add(BsonValue id, Set<String> ids) {
        if (id != null && id.isString()) {
            ids.add(id.asString().getValue());
        }
        else if (id != null && id.isDocument() && id.asDocument().isString("$eq")) {
            ids.add(id.asDocument().getString("$eq").getValue());
        }
        else if (id != null && id.isDocument() && id.asDocument().isArray("$in")
                && id.asDocument().getArray("$in").stream().allMatch(BsonValue::isString)) {
            id.asDocument().getArray("$in").forEach(value -> ids.add(value.asString().getValue()));
        }
        else {
            ids.add(ChangeSignals.ANY);
        }
    }
}
