package org.city311.console;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The web console: the pages city staff work in (taking calls, department queues, follow-ups, service levels,
 * administration) and the public department and tracking pages. It renders on the server and calls the four
 * services' APIs with the signed-in person's own token, so every access rule stays the services' to enforce.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ConsoleApplication {

    public static void main(String[] args) {
        SpringApplication.run(ConsoleApplication.class, args);
    }
}
