package org.city311.deploy.store;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

import com.sun.net.httpserver.HttpServer;
import de.bwaldvogel.mongo.MongoServer;

/**
 * The local stand-in for MongoDB: mongo-java-server speaking the wire protocol, backed by an H2 MVStore file
 * so the services' data survives restarts. No MongoDB server can be installed on the development machines.
 *
 * <p>Usage: {@code MongoWireStore --file var/mongo/city311.mv [--host 127.0.0.1] [--port 27017]
 * [--metrics-port 9216] [--io-threads 32]}. The metrics port serves {@code /metrics}: the commands served by
 * database, collection and command, and the writes and commits (what the bench reads store round trips from).
 */
public final class MongoWireStore {

    private MongoWireStore() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: MongoWireStore --file <path> [--host 127.0.0.1] [--port 27017] "
                    + "[--metrics-port 0] [--io-threads 32]");
            System.exit(2);
            return;
        }

        Path file = options.file().toAbsolutePath();
        Files.createDirectories(file.getParent());

        LocalStoreBackend backend = new LocalStoreBackend(file.toString());
        MongoServer server = new MongoServer(backend);
        HttpServer metrics = null;
        try {
            // A writer waits on its I/O thread for the commit that covers it, and a thread serves several
            // connections: enough threads that the writers of one group commit rarely share one.
            server.bind(new InetSocketAddress(options.host(), options.port()), 1, options.ioThreads());
            if (options.metricsPort() > 0) {
                metrics = serveMetrics(backend, options.host(), options.metricsPort());
            }
        } catch (RuntimeException | IOException e) {
            // Close the MVStore even when the port is taken, or the file stays locked until the JVM exits.
            server.shutdownNow();
            backend.close();
            throw e;
        }

        // the declared indexes built now, not by the first query in service that needs each
        Thread indexes = new Thread(() -> {
            long started = System.nanoTime();
            int built = backend.buildIndexes();
            log("Indexes built: " + built + " in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        }, "mongo-wire-store-indexes");
        indexes.setDaemon(true);
        indexes.start();

        CountDownLatch stopped = new CountDownLatch(1);
        HttpServer metricsServer = metrics;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (metricsServer != null) {
                metricsServer.stop(0);
            }
            String figures = backend.groupCommit().writes() + " writes in " + backend.groupCommit().commits()
                    + " commits";
            // shutdown() closes the backend, which writes the last changes and releases the H2 file;
            // shutdownNow() drops connected clients first so a lingering driver cannot hold the JVM up.
            server.shutdownNow();
            log("Mongo-wire store stopped, " + file + " closed (" + figures + ")");
            stopped.countDown();
        }, "mongo-wire-store-shutdown"));

        InetSocketAddress address = server.getLocalAddress();
        log("Mongo-wire store ready on mongodb://" + address.getHostString() + ":" + address.getPort()
                + " (H2 file " + file + (metrics == null ? "" : ", metrics on http://" + options.host() + ":"
                + metrics.getAddress().getPort() + "/metrics") + ")");

        // Netty's threads would keep the JVM alive too; waiting on the hook says so explicitly.
        stopped.await();
    }

    static HttpServer serveMetrics(LocalStoreBackend backend, String host, int port) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 0);
        http.createContext("/metrics", exchange -> {
            byte[] body = backend.metricsText().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        return http;
    }

    // slf4j is only a runtime dependency of mongo-java-server, so our own lines go to stdout,
    // which the launcher sends to the store's log file.
    private static void log(String message) {
        System.out.println(Instant.now() + " " + message);
    }

    record Options(String host, int port, Path file, int metricsPort, int ioThreads) {

        static Options parse(String[] args) {
            String host = "127.0.0.1";
            int port = 27017;
            int metricsPort = 0;
            int ioThreads = 32;
            Path file = null;
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value for " + name);
                }
                String value = args[++i];
                switch (name) {
                    case "--host" -> host = value;
                    case "--port" -> port = parsePort(value, 1);
                    case "--metrics-port" -> metricsPort = parsePort(value, 0);
                    case "--io-threads" -> ioThreads = parseCount(value);
                    case "--file" -> file = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            }
            if (file == null) {
                throw new IllegalArgumentException("--file is required");
            }
            return new Options(host, port, file, metricsPort, ioThreads);
        }

        private static int parsePort(String value, int lowest) {
            try {
                int port = Integer.parseInt(value);
                if (port < lowest || port > 65535) {
                    throw new NumberFormatException();
                }
                return port;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid port " + value);
            }
        }

        private static int parseCount(String value) {
            try {
                int count = Integer.parseInt(value);
                if (count < 1 || count > 1024) {
                    throw new NumberFormatException();
                }
                return count;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid thread count " + value);
            }
        }
    }
}
