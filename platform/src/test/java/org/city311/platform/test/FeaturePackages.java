package org.city311.platform.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.springframework.modulith.core.ApplicationModules;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service's feature packages checked as modules: Spring Modulith's verification (no cycles between them; none
 * using a type in another's sub-packages, which are its internals), and a {@code package-info.java} in every package
 * of the service's sources saying what it is for.
 */
public final class FeaturePackages {

    private FeaturePackages() {
    }

    /** Fails naming every cycle, reach into internals and undescribed package of the application's service. */
    public static void verify(Class<?> application) {
        ApplicationModules.of(application).verify();
        assertThat(undescribed(Path.of("src", "main", "java"), application.getPackageName()))
                .as("packages without a package-info.java saying what they are for").isEmpty();
    }

    /**
     * The same verification of modules whose classes are test classes (its own tests' fixtures): throws Spring
     * Modulith's {@code Violations}.
     */
    static void verifyTestModules(Class<?> application) {
        ApplicationModules.of(application, location -> true).verify();
    }

    /** The packages under {@code basePackage} in {@code sources} that hold Java files but no package-info.java. */
    static List<String> undescribed(Path sources, String basePackage) {
        Path base = sources.resolve(basePackage.replace('.', '/'));
        try (Stream<Path> directories = Files.walk(base)) {
            return directories.filter(Files::isDirectory)
                    .filter(FeaturePackages::holdsJava)
                    .filter(directory -> !Files.exists(directory.resolve("package-info.java")))
                    .map(directory -> sources.relativize(directory).toString().replace('/', '.'))
                    .sorted().toList();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static boolean holdsJava(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.anyMatch(file -> file.toString().endsWith(".java"));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
