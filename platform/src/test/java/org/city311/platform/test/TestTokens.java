package org.city311.platform.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.function.UnaryOperator;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import org.city311.platform.security.DevTokens;
import org.city311.platform.security.Role;

/**
 * Bearer tokens for tests, signed the way {@code ./run.sh} signs the local ones, by a key made once per test JVM;
 * every service under test checks them against its public key.
 */
public final class TestTokens {

    private static final DevTokens TOKENS = DevTokens.generate();
    private static Path publicKey;
    private static Path privateKey;

    private TestTokens() {
    }

    /** {@code Bearer <token>}, for an Authorization header. */
    public static String bearer(String subject, String department, Role... roles) {
        return bearer(Duration.ofHours(1), subject, department, roles);
    }

    /**
     * {@code Bearer <token>} valid for {@code life} (a short one to see what happens when it expires; a long one
     * for a test that moves the services' clock on). Like every token here, checked against the machine's clock.
     */
    public static String bearer(Duration life, String subject, String department, Role... roles) {
        // The token checker reads the machine's clock, a live stream the services' (TestClock, which starts at a
        // fixed day and runs on): ending after both, a token is valid on either whatever the day the suite runs.
        return bearer(life, TestClock.START.plus(Duration.ofDays(1)), subject, department, roles);
    }

    /**
     * {@code Bearer <token>} that ends {@code life} after the later of the machine's now and {@code servicesNow}
     * (the services' clock as a test has moved it): to see a token expire while the services' clock runs ahead.
     */
    public static String bearer(Duration life, Instant servicesNow, String subject, String department,
            Role... roles) {
        return "Bearer " + TOKENS.sign(valid(TOKENS.claims(subject, subject, department, life, roles), life,
                servicesNow).build());
    }

    private static JWTClaimsSet.Builder valid(JWTClaimsSet.Builder claims, Duration life, Instant servicesNow) {
        Instant machine = Instant.now();
        Instant later = machine.isAfter(servicesNow) ? machine : servicesNow;
        return claims.expirationTime(Date.from(later.plus(life)));
    }

    /** When a token from here expires: its {@code exp}. */
    public static Instant expiresAt(String bearer) {
        try {
            return SignedJWT.parse(bearer.substring("Bearer ".length())).getJWTClaimsSet().getExpirationTime()
                    .toInstant();
        }
        catch (ParseException e) {
            throw new IllegalArgumentException("not a token from TestTokens", e);
        }
    }

    public static String staff(String subject) {
        return bearer(subject, null, Role.STAFF);
    }

    /** A person of a team ({@code team} claim): {@code department} may be null (call-centre staff). */
    public static String ofTeam(String subject, String department, String team, Role... roles) {
        return "Bearer " + TOKENS.sign(valid(TOKENS.claims(subject, subject, department, Duration.ofHours(1), roles)
                .claim("team", team), Duration.ofHours(1), TestClock.START.plus(Duration.ofDays(1))).build());
    }

    public static String agent(String department) {
        return bearer("agent." + department, department, Role.AGENT);
    }

    public static String supervisor(String department) {
        return bearer("supervisor." + department, department, Role.SUPERVISOR);
    }

    /**
     * A token signed with the tests' key whose claims {@code change} altered first: another issuer, another
     * audience, no expiry.
     */
    public static String bearerWith(UnaryOperator<JWTClaimsSet.Builder> change, Role... roles) {
        return "Bearer " + TOKENS.sign(change.apply(valid(TOKENS.claims("staff.test", "staff.test", null,
                Duration.ofHours(1), roles), Duration.ofHours(1), TestClock.START.plus(Duration.ofDays(1)))).build());
    }

    public static String only(Role role) {
        return bearer(role.claim() + ".test", null, role);
    }

    /** What the services' WebTestClient sends when a test names no caller: staff who also administer. */
    static String standard() {
        return bearer("staff.test", null, Role.STAFF, Role.ADMIN);
    }

    /** The private key's file, for a service under test that signs its own identity's tokens (local-run style). */
    public static synchronized String privateKeyLocation() {
        if (privateKey == null) {
            try {
                privateKey = Files.createTempFile("city311-test-jwt-private", ".pem");
                privateKey.toFile().deleteOnExit();
                TOKENS.writePrivateKey(privateKey);
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return privateKey.toString();
    }

    /** The public key's location, as {@code city311.security.jwt.public-key-location} takes it. */
    public static synchronized String publicKeyLocation() {
        if (publicKey == null) {
            try {
                publicKey = Files.createTempFile("city311-test-jwt", ".pem");
                publicKey.toFile().deleteOnExit();
                TOKENS.writePublicKey(publicKey);
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return publicKey.toUri().toString();
    }
}
