package org.city311.deploy.bench;

import java.util.HashMap;
import java.util.Map;

/** The {@code --name value} pairs of the bench and fault tools' command lines. */
final class Options {

    private Options() {
    }

    /** The pairs from {@code args[from]} on, by name without its dashes. */
    static Map<String, String> parse(String[] args, int from) {
        Map<String, String> options = new HashMap<>();
        for (int i = from; i + 1 < args.length; i += 2) {
            options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return options;
    }
}
