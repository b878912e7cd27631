package org.city311.feedback.survey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The secrets of survey links: 256 random bits, URL-safe. A link answers as the resident, so it is a credential:
 * only its SHA-256 is stored (a copy of the store opens no survey), and it is never written to a log.
 */
final class SurveyTokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9_-]{43}");

    private SurveyTokens() {
    }

    static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** What the store keeps of a token. */
    static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** A token of the shape we hand out; anything else is refused before the store is asked. */
    static boolean wellFormed(String token) {
        return token != null && WELL_FORMED.matcher(token).matches();
    }

    /** The id of a survey's response: derived from the survey, so that a second response is refused by the store. */
    static String feedbackIdOf(String surveyId) {
        return UUID.nameUUIDFromBytes(("survey-response:" + surveyId).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
