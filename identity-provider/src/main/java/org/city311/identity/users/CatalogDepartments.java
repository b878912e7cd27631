package org.city311.identity.users;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The departments of a catalog file, read as YAML: each entry of its {@code departments} list. */
final class CatalogDepartments {

    /** What routing-service accepts as a department code. */
    private static final Pattern CODE = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private CatalogDepartments() {
    }

    /** A department: its code (the {@code department} claim) and its name, shown as the user's name. */
    record Department(String code, String name) {
    }

    static List<Department> of(Path catalog) throws IOException {
        Object document;
        try (Reader reader = Files.newBufferedReader(catalog)) {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        }
        if (!(document instanceof Map<?, ?> root) || !(root.get("departments") instanceof List<?> entries)) {
            throw new IllegalArgumentException(catalog + " has no departments list: is it a catalog file?");
        }
        List<Department> departments = new ArrayList<>();
        for (Object entry : entries) {
            if (!(entry instanceof Map<?, ?> department) || !(department.get("code") instanceof String code)
                    || !CODE.matcher(code).matches()) {
                throw new IllegalArgumentException(catalog + ": a department without a valid code (lower-case "
                        + "letters, digits and hyphens): " + entry);
            }
            Object name = department.get("name");
            departments.add(new Department(code, name instanceof String text && !text.isBlank() ? text : code));
        }
        return departments;
    }
}
