package org.city311.deploy;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoMessage;

/**
 * The local stand-in for MongoDB: mongo-java-server speaking the wire protocol, backed by an H2 MVStore file
 * so the services' data survives restarts. No MongoDB server can be installed on the development machines.
 *
 * <p>Usage: {@code MongoWireStore --file var/mongo/city311.mv [--host 127.0.0.1] [--port 27017]}
 */
final class MongoWireStore {

    private MongoWireStore() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: MongoWireStore --file <path> [--host 127.0.0.1] [--port 27017]");
            System.exit(2);
            return;
        }

        Path file = options.file().toAbsolutePath();
        Files.createDirectories(file.getParent());

        H2Backend backend = new HelloAnsweringH2Backend(file.toString());
        MongoServer server = new MongoServer(backend);
        try {
            server.bind(options.host(), options.port());
        } catch (RuntimeException e) {
            // Close the MVStore even when the port is taken, or the file stays locked until the JVM exits.
            backend.close();
            throw e;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // shutdown() closes the backend, which writes the last changes and releases the H2 file;
            // shutdownNow() drops connected clients first so a lingering driver cannot hold the JVM up.
            server.shutdownNow();
            log("Mongo-wire store stopped, " + file + " closed");
            stopped.countDown();
        }, "mongo-wire-store-shutdown"));

        InetSocketAddress address = server.getLocalAddress();
        log("Mongo-wire store ready on mongodb://" + address.getHostString() + ":" + address.getPort()
                + " (H2 file " + file + ")");

        // Netty's threads would keep the JVM alive too; waiting on the hook says so explicitly.
        stopped.await();
    }

    /**
     * mongo-java-server 1.47.0 knows the legacy {@code isMaster} but not its successor {@code hello}, which
     * Spring Boot's Mongo health indicator sends: without this the services' health stays DOWN.
     */
    static final class HelloAnsweringH2Backend extends H2Backend {

        HelloAnsweringH2Backend(String fileName) {
            super(fileName);
        }

        // handleMessage, not handleCommand: netty's Channel in the latter's signature is not on our compile
        // classpath. The command name is the document's first key, so "hello" is renamed in place.
        /**
         * Commands that change data. H2's store commits on its own about once a second, so a write it had already
         * acknowledged could be lost when the process dies (found by killing it with SIGKILL under load: a
         * consumer's update was acknowledged, its Kafka offset committed, and the update gone after the restart).
         * Committing before answering makes an acknowledged write survive a crash of this process, as a journaled
         * MongoDB write does.
         */
        private static final java.util.Set<String> WRITES = java.util.Set.of("insert", "update", "delete",
                "findandmodify", "createindexes", "dropindexes", "drop", "dropdatabase", "create");

        @Override
        public Document handleMessage(MongoMessage message) {
            Document command = message.getDocument();
            String name = command.keySet().stream().findFirst().orElse("");
            if (WRITES.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                Document response = super.handleMessage(message);
                commit();
                return response;
            }
            if (!"hello".equalsIgnoreCase(name)) {
                return super.handleMessage(message);
            }
            Document rest = command.clone();
            Object value = rest.remove(name);
            command.clear();
            command.put("isMaster", value);
            command.putAll(rest);
            Document response = super.handleMessage(message);
            response.put("isWritablePrimary", Boolean.TRUE);
            return response;
        }
    }

    // slf4j is only a runtime dependency of mongo-java-server, so our own two lines go to stdout,
    // which the launcher sends to the store's log file.
    private static void log(String message) {
        System.out.println(Instant.now() + " " + message);
    }

    record Options(String host, int port, Path file) {

        static Options parse(String[] args) {
            String host = "127.0.0.1";
            int port = 27017;
            Path file = null;
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value for " + name);
                }
                String value = args[++i];
                switch (name) {
                    case "--host" -> host = value;
                    case "--port" -> port = parsePort(value);
                    case "--file" -> file = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            }
            if (file == null) {
                throw new IllegalArgumentException("--file is required");
            }
            return new Options(host, port, file);
        }

        private static int parsePort(String value) {
            try {
                int port = Integer.parseInt(value);
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
                return port;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid port " + value);
            }
        }
    }
}
