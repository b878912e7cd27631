package org.city311.platform.test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import org.bson.BsonDocument;

import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;

/**
 * Every command a service's MongoClient sends the store, as the store counts them: one per round trip, a bulk write
 * one command however many statements it carries. Register it on the client of the test's context with
 * {@link #onTheServicesClient()} (a {@code @TestConfiguration} bean), then count what a scenario cost:
 * <pre>{@code
 * int mark = commands.mark();
 * ... the scenario ...
 * assertThat(commands.since(mark, "update", "ledgers")).hasSize(1);
 * }</pre>
 */
public final class StoreCommands implements CommandListener {

    /**
     * One command sent.
     *
     * @param name {@code insert}, {@code update}, {@code find}, ...
     * @param collection the collection it names ("" for commands that name none)
     * @param statements how many writes a write command carries (its {@code documents}, {@code updates} or
     *        {@code deletes}); 0 for reads and other commands
     */
    public record Command(String database, String name, String collection, int statements, BsonDocument body) {
    }

    private final List<Command> seen = new CopyOnWriteArrayList<>();

    @Override
    public void commandStarted(CommandStartedEvent event) {
        String name = event.getCommandName();
        BsonDocument command = event.getCommand();
        String collection = command.isString(name) ? command.getString(name).getValue() : "";
        int statements = 0;
        for (String writes : List.of("documents", "updates", "deletes")) {
            if (command.isArray(writes)) {
                statements = command.getArray(writes).size();
            }
        }
        seen.add(new Command(event.getDatabaseName(), name, collection, statements, command));
    }

    /** Registers these on the client Spring Boot makes for the service. */
    public MongoClientSettingsBuilderCustomizer onTheServicesClient() {
        return settings -> settings.addCommandListener(this);
    }

    /** A place to count from. */
    public int mark() {
        return seen.size();
    }

    /** The commands of that name on that collection sent since {@code mark}. */
    public List<Command> since(int mark, String name, String collection) {
        return seen.subList(mark, seen.size()).stream()
                .filter(command -> command.name().equals(name) && command.collection().equals(collection))
                .toList();
    }

    /** Every command sent since {@code mark}. */
    public List<Command> since(int mark) {
        return List.copyOf(seen.subList(mark, seen.size()));
    }
}
