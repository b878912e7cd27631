package org.city311.platform.test;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.test.context.BootstrapUtils;
import org.springframework.test.context.BootstrapWith;

/**
 * Runs the test classes that would start the same Spring context one after the other. The integration tests keep
 * one context open at a time ({@code spring.test.context.cache.maxSize=1}, set by the build), so two classes of
 * the same configuration share a started service only when nothing runs between them: this order makes sure of
 * it. Groups run in the order of their alphabetically first class, and the classes of a group alphabetically.
 * <p>
 * Named by each service's {@code junit-platform.properties} ({@code junit.jupiter.testclass.order.default}).
 */
public class ContextGroupingClassOrderer implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        Map<Object, String> firstOfGroup = new HashMap<>();
        Map<ClassDescriptor, Object> groups = new HashMap<>();
        context.getClassDescriptors().stream().sorted(Comparator.comparing(ContextGroupingClassOrderer::name))
                .forEach(descriptor -> {
                    Object group = configurationOf(descriptor.getTestClass());
                    groups.put(descriptor, group);
                    firstOfGroup.putIfAbsent(group, name(descriptor));
                });
        context.getClassDescriptors().sort(Comparator
                .comparing((ClassDescriptor descriptor) -> firstOfGroup.get(groups.get(descriptor)))
                .thenComparing(ContextGroupingClassOrderer::name));
    }

    /**
     * What Spring's context cache tells contexts apart by; a class that starts no context, or one Spring cannot
     * read, is a group of its own.
     */
    private static Object configurationOf(Class<?> testClass) {
        if (!MergedAnnotations.from(testClass, SearchStrategy.TYPE_HIERARCHY).isPresent(BootstrapWith.class)) {
            return testClass;
        }
        try {
            return BootstrapUtils.resolveTestContextBootstrapper(testClass).buildMergedContextConfiguration();
        }
        catch (RuntimeException | LinkageError unreadable) {
            return testClass;
        }
    }

    private static String name(ClassDescriptor descriptor) {
        return descriptor.getTestClass().getName();
    }
}
