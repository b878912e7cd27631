package org.city311.platform.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.city311.platform.test.modules.acyclic.AcyclicApplication;
import org.city311.platform.test.modules.cyclic.CyclicApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The check every service's modules test runs: it refuses a cycle, and names the packages nobody described. */
class FeaturePackagesTests {

    @Test
    void shouldRefuseFeaturePackagesThatUseEachOther() {
        assertThatThrownBy(() -> FeaturePackages.verifyTestModules(CyclicApplication.class))
                .hasMessageContaining("Cycle").hasMessageContaining("alerts").hasMessageContaining("crews");
    }

    @Test
    void shouldAcceptFeaturePackagesThatDependOneWay() {
        assertThatCode(() -> FeaturePackages.verifyTestModules(AcyclicApplication.class)).doesNotThrowAnyException();
    }

    @Test
    void shouldNameEveryPackageWithJavaButNoPackageInfo(@TempDir Path sources) throws IOException {
        Path base = sources.resolve("org/city311/sample");
        Files.createDirectories(base.resolve("intake"));
        Files.createDirectories(base.resolve("status/internal"));
        Files.createDirectories(base.resolve("empty"));
        Files.writeString(base.resolve("package-info.java"), "package org.city311.sample;");
        Files.writeString(base.resolve("App.java"), "");
        Files.writeString(base.resolve("intake/Intake.java"), "");
        Files.writeString(base.resolve("status/package-info.java"), "package org.city311.sample.status;");
        Files.writeString(base.resolve("status/Status.java"), "");
        Files.writeString(base.resolve("status/internal/Fold.java"), "");

        assertThat(FeaturePackages.undescribed(sources, "org.city311.sample"))
                .containsExactly("org.city311.sample.intake", "org.city311.sample.status.internal");
    }
}
