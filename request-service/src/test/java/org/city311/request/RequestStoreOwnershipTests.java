package org.city311.request;

import java.util.Set;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import org.springframework.data.mongodb.core.ReactiveMongoOperations;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RequestStore} is the one writer of the requests: a feature that writes to the store itself, through the
 * template, fails here, unless it is one of the owners of the few other collections this service keeps.
 */
class RequestStoreOwnershipTests {

    /** The template's ways to write, and to reach past it (a raw collection, a callback). */
    private static final Set<String> WRITES = Set.of("insert", "insertAll", "save", "upsert", "update",
            "updateFirst", "updateMulti", "replace", "findAndModify", "findAndReplace", "findAndRemove",
            "findAllAndRemove", "remove", "bulkOps", "execute", "getCollection");
    private static final DescribedPredicate<JavaMethodCall> WRITE = DescribedPredicate.describe(
            "a write through the template", call -> call.getTarget().getOwner()
                    .isAssignableTo(ReactiveMongoOperations.class) && WRITES.contains(call.getTarget().getName()));

    private static final JavaClasses SERVICE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.city311.request");

    @Test
    void shouldSeeAWriteThroughTheTemplateWhereThereIsOne() {
        // the check itself: RequestStore writes, so the same rule aimed at it alone finds its writes
        ArchRule aimedAtTheStore = noClasses().that().haveFullyQualifiedName(RequestStore.class.getName())
                .should().callMethodWhere(WRITE);

        assertThat(aimedAtTheStore.evaluate(SERVICE).hasViolation()).isTrue();
    }

    @Test
    void shouldWriteRequestsThroughTheRequestStoreOnly() {
        ArchRule rule = noClasses().that().doNotHaveFullyQualifiedName(RequestStore.class.getName())
                // the owners of their own collections: Open311 keys, id counters, intake's idempotency keys, the
                // catalog copy, the live updates' change signals
                .and().doNotHaveFullyQualifiedName("org.city311.request.open311.Open311Clients")
                .and().doNotHaveFullyQualifiedName("org.city311.request.intake.RequestIds")
                .and().doNotHaveFullyQualifiedName("org.city311.request.intake.IdempotencyKeys")
                .and().doNotHaveFullyQualifiedName("org.city311.request.catalog.ServiceCatalogCopy")
                .and().doNotHaveFullyQualifiedName("org.city311.request.live.ChangeSignals")
                .should().callMethodWhere(WRITE)
                .because("requests are changed through RequestStore, which spells their fields and guards each write");
        rule.check(SERVICE);
    }
}
