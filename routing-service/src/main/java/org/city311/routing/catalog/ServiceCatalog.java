package org.city311.routing.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/** The catalog in force. Loaded at start; a service that cannot load its catalog does not start. */
@Component
public class ServiceCatalog {

    private static final Logger log = LoggerFactory.getLogger(ServiceCatalog.class);

    private volatile Catalog current;

    ServiceCatalog(CatalogProperties properties) {
        try {
            this.current = new CatalogLoader(relative -> open(properties, relative))
                    .load(properties.location().getInputStream());
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot read the catalog " + properties.location(), ex);
        }
        log.info("Catalog {} in force: {} departments, {} services", current.catalogVersion(),
                current.departments().size(), current.services().size());
    }

    /** A file the catalog names, such as its districts, found next to the catalog file. */
    private static java.io.InputStream open(CatalogProperties properties, String relative) {
        try {
            return properties.location().createRelative(relative).getInputStream();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public Catalog current() {
        return current;
    }
}
