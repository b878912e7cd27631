package org.city311.request;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How staff find a caller's earlier requests ("has this caller reported before?") without reading every resident's
 * details: each request keeps, beside them, the keys of its reporters' phone numbers (digits only) and e-mail
 * addresses (lower case), each a SHA-256, so the searchable field repeats no one's number or address in the clear.
 * The first resident's and every added caller's keys are on the request they reported.
 */
public final class CallerKeys {

    /** A phone number needs this many digits to be looked up: fewer would match strangers. */
    public static final int MIN_PHONE_DIGITS = 4;

    private CallerKeys() {
    }

    /** The keys of everyone who reported the request, each once (an empty list when none gave a number or address). */
    public static List<String> of(ServiceRequest.Resident resident, List<ServiceRequest.AdditionalReporter> added) {
        Set<String> keys = new LinkedHashSet<>(of(resident));
        if (added != null) {
            added.forEach(reporter -> keys.addAll(of(reporter.resident())));
        }
        return List.copyOf(keys);
    }

    public static List<String> of(ServiceRequest.Resident resident) {
        if (resident == null) {
            return List.of();
        }
        Set<String> keys = new LinkedHashSet<>();
        String phone = digits(resident.phone());
        if (phone.length() >= MIN_PHONE_DIGITS) {
            keys.add(phone(phone));
        }
        String email = normalisedEmail(resident.email());
        if (email != null) {
            keys.add(email(email));
        }
        return List.copyOf(keys);
    }

    /** The key of a phone number, given in any notation. */
    public static String phone(String given) {
        return "phone:" + sha256(digits(given));
    }

    /** The key of an e-mail address, in any case. */
    public static String email(String given) {
        return "email:" + sha256(normalisedEmail(given));
    }

    public static String digits(String phone) {
        return phone == null ? "" : phone.replaceAll("[^0-9]", "");
    }

    /** Lower case without surrounding blanks; null when it is no address at all. */
    public static String normalisedEmail(String email) {
        if (email == null || email.isBlank()) {
            return null;
        }
        String normalised = email.strip().toLowerCase(Locale.ROOT);
        return normalised.indexOf('@') > 0 ? normalised : null;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(String.valueOf(text).getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
