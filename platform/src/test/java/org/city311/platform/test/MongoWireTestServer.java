package org.city311.platform.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;

/**
 * The Mongo-wire store of the tests: mongo-java-server on an H2 file, speaking the real wire protocol to the real
 * driver. One per test JVM; each test context takes its own database.
 */
public final class MongoWireTestServer {

    private static String connectionString;

    private MongoWireTestServer() {
    }

    public static synchronized String uri() {
        if (connectionString == null) {
            try {
                Path file = Files.createTempDirectory("city311-store").resolve("test.mv");
                H2Backend backend = new H2Backend(file.toString());
                MongoServer server = new MongoServer(backend);
                InetSocketAddress address = server.bind();
                // No shutdown hook: stopping it before the Spring contexts close only makes their clients complain.
                connectionString = "mongodb://127.0.0.1:" + address.getPort();
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return connectionString;
    }
}
