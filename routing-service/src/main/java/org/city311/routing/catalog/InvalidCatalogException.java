package org.city311.routing.catalog;

import java.util.List;

/** A catalog file that cannot be put in force, with every problem found in it. */
public class InvalidCatalogException extends RuntimeException {

    private final List<String> problems;

    InvalidCatalogException(List<String> problems) {
        super("invalid catalog: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
