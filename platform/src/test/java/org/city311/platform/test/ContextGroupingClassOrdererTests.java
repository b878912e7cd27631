package org.city311.platform.test;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Classes of one configuration run back to back, so the one context kept open serves them all; the others keep
 * their places by name.
 */
class ContextGroupingClassOrdererTests {

    @Test
    void shouldRunTheClassesOfOneConfigurationBackToBack() {
        List<ClassDescriptor> classes = descriptors(AlphaDefault.class, BravoOwnContext.class, CharlieDefault.class,
                DeltaPlain.class, EchoOwnContext.class, FoxtrotDefault.class);

        new ContextGroupingClassOrderer().orderClasses(context(classes));

        // the default configuration's three run together where its first (Alpha) would; the two classes that ask
        // for the same other context run together where theirs (Bravo) would; a class without Spring stays alone
        assertThat(classes).extracting(ClassDescriptor::getTestClass).containsExactly(AlphaDefault.class,
                CharlieDefault.class, FoxtrotDefault.class, BravoOwnContext.class, EchoOwnContext.class,
                DeltaPlain.class);
    }

    @Configuration(proxyBeanMethods = false)
    static class Sample {
    }

    @SpringBootTest(classes = Sample.class)
    static class AlphaDefault {
    }

    @SpringBootTest(classes = Sample.class)
    @TestPropertySource(properties = "city311.test.context=own")
    static class BravoOwnContext {
    }

    @SpringBootTest(classes = Sample.class)
    static class CharlieDefault {
    }

    static class DeltaPlain {
    }

    @SpringBootTest(classes = Sample.class)
    @TestPropertySource(properties = "city311.test.context=own")
    static class EchoOwnContext {
    }

    @SpringBootTest(classes = Sample.class)
    static class FoxtrotDefault {
    }

    private static List<ClassDescriptor> descriptors(Class<?>... testClasses) {
        List<ClassDescriptor> descriptors = new ArrayList<>();
        for (int i = testClasses.length - 1; i >= 0; i--) {
            descriptors.add(descriptor(testClasses[i])); // handed over in reverse: the order is the orderer's own
        }
        return descriptors;
    }

    private static ClassDescriptor descriptor(Class<?> testClass) {
        return new ClassDescriptor() {

            @Override
            public Class<?> getTestClass() {
                return testClass;
            }

            @Override
            public String getDisplayName() {
                return testClass.getSimpleName();
            }

            @Override
            public boolean isAnnotated(Class<? extends Annotation> annotationType) {
                return testClass.isAnnotationPresent(annotationType);
            }

            @Override
            public <A extends Annotation> Optional<A> findAnnotation(Class<A> annotationType) {
                return Optional.ofNullable(testClass.getAnnotation(annotationType));
            }

            @Override
            public <A extends Annotation> List<A> findRepeatableAnnotations(Class<A> annotationType) {
                return List.of(testClass.getAnnotationsByType(annotationType));
            }
        };
    }

    private static ClassOrdererContext context(List<ClassDescriptor> classes) {
        return new ClassOrdererContext() {

            @Override
            public List<? extends ClassDescriptor> getClassDescriptors() {
                return classes;
            }

            @Override
            public Optional<String> getConfigurationParameter(String key) {
                return Optional.empty();
            }
        };
    }
}
