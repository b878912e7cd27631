package org.city311.deploy.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import org.city311.platform.security.DevTokens;
import org.city311.platform.security.Role;

/**
 * {@code DevTokenFile <key folder> <catalog.yml> <tokens.env>}: the local run's bearer tokens for curl. Keeps a key
 * pair in the folder (made at the first run), and rewrites the token lines of the env file (other lines, such as
 * {@code OPEN311_API_KEY}, are kept) with a token per role and an agent's and a supervisor's per department of the
 * catalog, valid for 30 days. {@code ./run.sh} runs it at every start.
 */
public final class DevTokenFile {

    static final Duration LIFE = Duration.ofDays(30);

    private DevTokenFile() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: DevTokenFile <key folder> <catalog.yml> <tokens.env>");
            System.exit(2);
        }
        // The issuer and audience the services check: the local run's unless the environment names others.
        DevTokens tokens = DevTokens.keptIn(Path.of(args[0])).issuing(
                environment("JWT_ISSUER", DevTokens.LOCAL_ISSUER), environment("JWT_AUDIENCE", DevTokens.LOCAL_AUDIENCE));
        List<String> departments = departments(Path.of(args[1]));
        Map<String, String> variables = credentials(tokens, departments, LIFE);
        write(Path.of(args[2]), variables, Instant.now().plus(LIFE));
        System.out.println(variables.size() + " tokens for " + departments.size() + " departments written to "
                + Path.of(args[2]).getFileName());
    }

    /** The codes of the catalog's departments, in its order. */
    static List<String> departments(Path catalog) throws IOException {
        Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(catalog));
        List<String> codes = new ArrayList<>();
        if (root instanceof Map<?, ?> top && top.get("departments") instanceof List<?> departments) {
            for (Object department : departments) {
                if (department instanceof Map<?, ?> entry && entry.get("code") instanceof String code) {
                    codes.add(code);
                }
            }
        }
        if (codes.isEmpty()) {
            throw new IllegalArgumentException(catalog + " lists no departments (a departments: list of code: entries)");
        }
        return codes;
    }

    /** The shell variables: one token per role, and an agent's and a supervisor's per department. */
    static Map<String, String> credentials(DevTokens tokens, List<String> departments, Duration life) {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("STAFF_TOKEN", tokens.sign(tokens.claims("staff.local", "Local Staff Member", null, life,
                Role.STAFF).claim("team", DevTokens.LOCAL_CALL_CENTRE).build()));
        variables.put("OPS_TOKEN", tokens.mint("ops.local", "Local Operations", null, life, Role.OPS));
        variables.put("ADMIN_TOKEN", tokens.mint("admin.local", "Local Administrator", null, life, Role.ADMIN));
        variables.put("AUDITOR_TOKEN", tokens.mint("auditor.local", "Local Auditor", null, life, Role.AUDITOR));
        for (String department : departments) {
            String suffix = department.toUpperCase(Locale.ROOT).replace('-', '_');
            variables.put("AGENT_TOKEN_" + suffix, tokens.mint("agent." + department, "Agent of " + department,
                    department, life, Role.AGENT));
            variables.put("SUPERVISOR_TOKEN_" + suffix, tokens.mint("supervisor." + department,
                    "Supervisor of " + department, department, life, Role.SUPERVISOR));
        }
        return variables;
    }

    /** The env file with its token lines replaced by these, the others kept, readable by its owner only. */
    static void write(Path env, Map<String, String> variables, Instant validUntil) throws IOException {
        List<String> kept = new ArrayList<>();
        if (Files.exists(env)) {
            for (String line : Files.readAllLines(env)) {
                String name = line.contains("=") ? line.substring(0, line.indexOf('=')) : "";
                if (!name.endsWith("_TOKEN") && !name.matches("(AGENT|SUPERVISOR)_TOKEN_.*")
                        && !line.startsWith("# Bearer tokens")) {
                    kept.add(line);
                }
            }
        }
        StringBuilder text = new StringBuilder();
        kept.forEach(line -> text.append(line).append('\n'));
        text.append("# Bearer tokens signed by this machine's local key, valid until ").append(validUntil)
                .append(" (./run.sh renews them)\n");
        variables.forEach((name, value) -> text.append(name).append('=').append(value).append('\n'));
        DevTokens.writePrivately(env, text.toString());
    }

    private static String environment(String name, String otherwise) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? otherwise : value;
    }
}
