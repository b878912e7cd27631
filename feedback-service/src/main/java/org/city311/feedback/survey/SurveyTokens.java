package org.city311.feedback.survey;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Pattern;

/** The secrets of survey links: 256 random bits, URL-safe. */
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

    /** A token of the shape we hand out; anything else is refused before the store is asked. */
    static boolean wellFormed(String token) {
        return token != null && WELL_FORMED.matcher(token).matches();
    }

    /** The id of a survey's response: derived from the survey, so that a second response is refused by the store. */
    static String feedbackIdOf(String surveyId) {
        return UUID.nameUUIDFromBytes(("survey-response:" + surveyId).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
