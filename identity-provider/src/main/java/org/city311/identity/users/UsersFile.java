package org.city311.identity.users;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The users' passwords, kept as shell variables ({@code STAFF_LOGIN=staff.local:<password>}) in a file only its
 * owner may read: made at the first start, kept across restarts, so a developer (or a browser test) can source it.
 */
final class UsersFile {

    private static final Pattern LINE = Pattern.compile("^[A-Z][A-Z0-9_]*=([^:\\s]+):(\\S+)$");
    private static final char[] ALPHABET =
            "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();
    private static final int PASSWORD_LENGTH = 20;

    private final SecureRandom random = new SecureRandom();

    private UsersFile() {
    }

    /**
     * Each user's password: the one the file already holds for their username, else a new random one; the file is
     * then written with exactly these users (a department gone from the catalog takes its users with it).
     */
    static Map<String, String> passwords(Path file, List<LocalUser> users) throws IOException {
        Map<String, String> kept = new HashMap<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                Matcher found = LINE.matcher(line.strip());
                if (found.matches()) {
                    kept.put(found.group(1), found.group(2));
                }
            }
        }
        UsersFile maker = new UsersFile();
        Map<String, String> passwords = new LinkedHashMap<>();
        StringBuilder text = new StringBuilder()
                .append("# The local identity provider's users (identity-provider), written at its every start: a\n")
                .append("# password is made once and kept. Each line is <username>:<password>; source this file and\n")
                .append("# sign in with, say, ${STAFF_LOGIN%%:*} and ${STAFF_LOGIN#*:}.\n");
        for (LocalUser user : users) {
            String password = kept.containsKey(user.username()) ? kept.get(user.username()) : maker.newPassword();
            passwords.put(user.username(), password);
            text.append(user.variable()).append('=').append(user.username()).append(':').append(password).append('\n');
        }
        writePrivately(file, text.toString());
        return passwords;
    }

    private String newPassword() {
        char[] password = new char[PASSWORD_LENGTH];
        for (int i = 0; i < password.length; i++) {
            password[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(password);
    }

    private static void writePrivately(Path file, String text) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        Path temporary = folder.resolve(file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        try {
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        catch (UnsupportedOperationException notPosix) {
            // Windows: the file system's defaults apply
            Files.createFile(temporary);
        }
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
