package org.city311.routing.catalog;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The catalog in force. At start: the catalog last put in force through the admin API, as stored, or else the
 * configured file ({@code city311.catalog.location}); a service that cannot load its catalog does not start.
 * Replaced whole, atomically, by {@link CatalogAdministration}; readers always see one complete catalog.
 */
@Component
public class ServiceCatalog {

    private static final Logger log = LoggerFactory.getLogger(ServiceCatalog.class);

    /**
     * @param source the catalog's text, as its author wrote it
     * @param hash its content hash, as published (see {@link CatalogPublication#hash})
     * @param revision the revision of the stored text it is (see {@link CatalogStore}); 0 for the configured file
     */
    record InForce(Catalog catalog, String source, String hash, long revision) {

        static InForce of(Catalog catalog, String source, long revision) {
            return new InForce(catalog, source, CatalogPublication.hash(catalog), revision);
        }
    }

    private final CatalogLoader loader;
    private final AtomicReference<InForce> inForce = new AtomicReference<>();

    ServiceCatalog(CatalogProperties properties, CatalogStore store) {
        this.loader = new CatalogLoader(relative -> open(properties, relative));
        Optional<CatalogStore.StoredSource> stored = store.find();
        if (stored.isPresent()) {
            try {
                inForce.set(InForce.of(read(stored.get().yaml().getBytes(StandardCharsets.UTF_8)),
                        stored.get().yaml(), stored.get().revision()));
            }
            catch (InvalidCatalogException ex) {
                throw new IllegalStateException("The catalog put in force through the admin API (stored in the"
                        + " collection 'catalog' as _id 'source', " + stored.get().updatedAt() + ") cannot be loaded"
                        + " any more: " + String.join("; ", ex.problems()) + ". Restore the files it names, or"
                        + " delete that document to start from " + properties.location() + ".", ex);
            }
            log.info("Catalog {} in force, as put through the admin API at {}", current().catalogVersion(),
                    stored.get().updatedAt());
        }
        else {
            byte[] content;
            try (InputStream in = properties.location().getInputStream()) {
                content = in.readAllBytes();
            }
            catch (IOException ex) {
                throw new UncheckedIOException("cannot read the catalog " + properties.location(), ex);
            }
            inForce.set(InForce.of(read(content), new String(content, StandardCharsets.UTF_8), 0));
            log.info("Catalog {} in force, from {}", current().catalogVersion(), properties.location());
        }
        log.info("Catalog {}: {} departments, {} services, {} rules", current().catalogVersion(),
                current().departments().size(), current().services().size(), current().rules().size());
    }

    /** A file the catalog names, such as its districts, found next to the catalog file; null if there is none. */
    private static InputStream open(CatalogProperties properties, String relative) {
        try {
            org.springframework.core.io.Resource file = properties.location().createRelative(relative);
            return file.exists() ? file.getInputStream() : null;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The catalog in force: cheap, for every event and request. */
    public Catalog current() {
        return inForce.get().catalog();
    }

    InForce inForce() {
        return inForce.get();
    }

    /**
     * Reads and checks a catalog text as at start (its districts file resolved next to the configured file),
     * without putting it in force.
     *
     * @throws InvalidCatalogException naming every problem, with its line
     */
    Catalog read(byte[] yaml) {
        return loader.load(new ByteArrayInputStream(yaml));
    }

    void put(InForce next) {
        inForce.set(next);
    }
}
