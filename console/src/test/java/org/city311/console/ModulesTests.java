package org.city311.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page packages are modules (Spring Modulith): no cycle between them, none reaching into another's
 * sub-packages, and each saying in its {@code package-info.java} what it is for. (The services run the same check
 * from the platform's test jar, which the console, calling no store or broker, does not take.)
 */
class ModulesTests {

    @Test
    void shouldKeepThePagePackagesApartAndDescribed() throws IOException {
        ApplicationModules.of(ConsoleApplication.class).verify();

        try (Stream<Path> directories = Files.walk(Path.of("src/main/java/org/city311/console"))) {
            assertThat(directories.filter(Files::isDirectory).filter(ModulesTests::holdsJava)
                    .filter(directory -> !Files.exists(directory.resolve("package-info.java"))).toList())
                    .as("packages without a package-info.java saying what they are for").isEmpty();
        }
    }

    private static boolean holdsJava(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.anyMatch(file -> file.toString().endsWith(".java"));
        }
        catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }
}
