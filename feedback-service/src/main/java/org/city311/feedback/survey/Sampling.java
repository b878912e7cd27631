package org.city311.feedback.survey;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

/**
 * Which resolved requests are surveyed: a share per service code (all when not configured), decided from a hash of
 * the request id, so that the same request is always decided the same way (redeliveries, several instances).
 */
final class Sampling {

    private final Map<String, Double> rates;

    Sampling(Map<String, Double> rates) {
        this.rates = Map.copyOf(rates);
    }

    boolean sampled(String serviceCode, String requestId) {
        double rate = serviceCode == null ? 1.0 : rates.getOrDefault(serviceCode, 1.0);
        if (rate >= 1.0) {
            return true;
        }
        if (rate <= 0.0) {
            return false;
        }
        return position(requestId) < rate;
    }

    /** Where the request id falls in [0, 1), evenly spread. */
    static double position(String requestId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(requestId.getBytes(StandardCharsets.UTF_8));
            long bits = ByteBuffer.wrap(digest).getLong() >>> 11; // 53 bits: exact in a double
            return bits / (double) (1L << 53);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", ex);
        }
    }
}
