package org.city311.routing.catalog;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.OptionalLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

/**
 * Puts a new catalog in force: checked exactly as at start, then stored (so it survives a restart), put in force
 * and published, in that order and one change at a time, so the topic always ends with the catalog in force.
 * A catalog with a problem changes nothing.
 */
@Service
class CatalogAdministration {

    private static final Logger log = LoggerFactory.getLogger(CatalogAdministration.class);

    private final ServiceCatalog catalog;
    private final CatalogStore store;
    private final CatalogPublication publication;
    private final ServiceChanges serviceChanges;
    private final Clock clock;

    CatalogAdministration(ServiceCatalog catalog, CatalogStore store, CatalogPublication publication,
            ServiceChanges serviceChanges, Clock clock) {
        this.catalog = catalog;
        this.store = store;
        this.publication = publication;
        this.serviceChanges = serviceChanges;
        this.clock = clock;
    }

    /** The catalog now in force, in figures. */
    record Replaced(String catalogVersion, String hash, int departments, int services, int rules) {

        static Replaced of(ServiceCatalog.InForce inForce) {
            Catalog current = inForce.catalog();
            return new Replaced(current.catalogVersion(), inForce.hash(), current.departments().size(),
                    current.services().size(), current.rules().size());
        }
    }

    /** Someone put another catalog in force since the one the caller read. */
    static class ChangedMeanwhileException extends RuntimeException {

        ChangedMeanwhileException(String message) {
            super(message);
        }
    }

    /**
     * @param expectedHash the hash of the catalog the caller edited (its {@code If-Match}); null to replace
     *        whatever is in force
     * @throws InvalidCatalogException naming every problem; nothing changed
     * @throws ChangedMeanwhileException if the catalog in force is not the one expected; nothing changed
     */
    Replaced replace(byte[] yaml, String expectedHash) {
        requireUnchanged(expectedHash);
        Catalog next = catalog.read(yaml);
        synchronized (this) {
            requireUnchanged(expectedHash);
            ServiceCatalog.InForce replacing = catalog.inForce();
            String source = new String(yaml, StandardCharsets.UTF_8);
            String hash = CatalogPublication.hash(next);
            OptionalLong revision = store.save(source, next.catalogVersion(), hash,
                    clock.instant().truncatedTo(ChronoUnit.MILLIS), expectedHash == null ? null : replacing.revision());
            if (revision.isEmpty()) {
                throw new ChangedMeanwhileException("Another instance put a catalog in force meanwhile; this one"
                        + " has not loaded it yet. Nothing changed.");
            }
            ServiceCatalog.InForce replaced = new ServiceCatalog.InForce(next, source, hash, revision.getAsLong());
            catalog.put(replaced);
            boolean published = publication.publish(next);
            try {
                serviceChanges.record(next);
            }
            catch (RuntimeException ex) {
                // the catalog is in force and published; only the knowledge check's weighting waits for a restart
                log.warn("Could not record which services changed ({})", ex.toString());
            }
            log.info("Catalog {} ({}) put in force through the admin API, replacing {} ({}); {}",
                    next.catalogVersion(), replaced.hash(), replacing.catalog().catalogVersion(), replacing.hash(),
                    published ? "published" : "same content as published before");
            return Replaced.of(replaced);
        }
    }

    private void requireUnchanged(String expectedHash) {
        String current = catalog.inForce().hash();
        if (expectedHash != null && !Objects.equals(expectedHash, current)) {
            throw new ChangedMeanwhileException("The catalog in force is " + catalog.current().catalogVersion()
                    + " (" + current + "), not the one you edited (" + expectedHash + "): someone changed it"
                    + " since you read it. Read it again and reapply your change.");
        }
    }
}
