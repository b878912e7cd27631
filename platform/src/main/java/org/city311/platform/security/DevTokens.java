package org.city311.platform.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Signs bearer tokens with a local RSA key: the local run's stand-in for the city's identity provider, and how
 * the tests get theirs; in the local run, feedback-service signs its own identity's tokens with it. Never used by
 * a deployed service, which checks tokens and gets its own from the city's identity provider.
 *
 * <p>The local run's command that writes ready-to-use tokens to {@code var/dev-tokens.env} is deploy's
 * {@code DevTokenFile}, which uses this class.
 */
public final class DevTokens {

    /**
     * The local run's one issuer: the {@code iss} of tokens signed here, and of its local sign-in provider's (the
     * services' default, {@code JWT_ISSUER}).
     */
    public static final String LOCAL_ISSUER = "http://localhost:9000";
    /** The local run's one audience, {@code aud} of its tokens (the services' default, {@code JWT_AUDIENCE}). */
    public static final String LOCAL_AUDIENCE = "city311";
    /**
     * The team of the local run's call-takers ({@code team}): their filings carry it, so that misrouting at intake
     * is counted for a team as the city's call centre would be.
     */
    public static final String LOCAL_CALL_CENTRE = "call-centre";
    /** The local key's id ({@code kid}): in every token signed here, and in the local sign-in provider's JWKS. */
    public static final String KEY_ID = "city311-local";

    private final RSAPrivateKey privateKey;
    private final RSAPublicKey publicKey;
    private final String issuer;
    private final String audience;

    public DevTokens(KeyPair keys) {
        this(keys, LOCAL_ISSUER, LOCAL_AUDIENCE);
    }

    public DevTokens(KeyPair keys, String issuer, String audience) {
        this.privateKey = (RSAPrivateKey) keys.getPrivate();
        this.publicKey = (RSAPublicKey) keys.getPublic();
        this.issuer = issuer;
        this.audience = audience;
    }

    /** The same key, signing for another issuer and audience. */
    public DevTokens issuing(String issuer, String audience) {
        return new DevTokens(new KeyPair(publicKey, privateKey), issuer, audience);
    }

    /** A fresh key pair, for a test run. */
    public static DevTokens generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return new DevTokens(generator.generateKeyPair());
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key pair kept in {@code folder} as {@code private.pem} and {@code public.pem}, made if missing. */
    public static DevTokens keptIn(Path folder) throws IOException, GeneralSecurityException {
        Path privatePem = folder.resolve("private.pem");
        Path publicPem = folder.resolve("public.pem");
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        if (Files.exists(privatePem) && Files.exists(publicPem)) {
            return new DevTokens(new KeyPair(
                    rsa.generatePublic(new X509EncodedKeySpec(pem(Files.readString(publicPem)))),
                    rsa.generatePrivate(new PKCS8EncodedKeySpec(pem(Files.readString(privatePem))))));
        }
        DevTokens made = generate();
        Files.createDirectories(folder);
        writePrivately(privatePem, pem("PRIVATE KEY", made.privateKey.getEncoded()));
        made.writePublicKey(publicPem);
        return made;
    }

    /** The public key as a JWK set, the form an OIDC provider publishes at its {@code jwks_uri}. */
    public String jwkSet() {
        return new JWKSet(new RSAKey.Builder(publicKey).keyID(KEY_ID).build()).toString();
    }

    /**
     * The key of a private key file ({@code private.pem} of {@link #keptIn}): how a service of the local run signs
     * its own identity's tokens.
     */
    public static DevTokens signingWith(Path privatePem) throws IOException, GeneralSecurityException {
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        RSAPrivateCrtKey key = (RSAPrivateCrtKey) rsa.generatePrivate(
                new PKCS8EncodedKeySpec(pem(Files.readString(privatePem))));
        PublicKey publicKey = rsa.generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
        return new DevTokens(new KeyPair(publicKey, key));
    }

    /** The private key, readable by its owner only: for a local-run service (or a test) that signs as itself. */
    public void writePrivateKey(Path file) throws IOException {
        writePrivately(file, pem("PRIVATE KEY", privateKey.getEncoded()));
    }

    public void writePublicKey(Path file) throws IOException {
        Files.writeString(file, pem("PUBLIC KEY", publicKey.getEncoded()));
    }

    /** A token for {@code subject} with these roles, bound to {@code department} (or null), valid for {@code life}. */
    public String mint(String subject, String name, String department, Duration life, Role... roles) {
        return sign(claims(subject, name, department, life, roles).build());
    }

    /** The claims {@link #mint} signs, for a caller that changes some of them first (a test of refusals). */
    public JWTClaimsSet.Builder claims(String subject, String name, String department, Duration life,
            Role... roles) {
        // Tokens are checked against the machine's clock, not a service's: they are minted on it too.
        Instant now = Instant.now();
        List<String> claimed = new ArrayList<>();
        for (Role role : roles) {
            claimed.add(role.claim());
        }
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(audience)
                .subject(subject)
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now.minusSeconds(60)))
                .expirationTime(Date.from(now.plus(life)))
                .claim("name", name)
                .claim("roles", claimed);
        if (department != null) {
            claims.claim("department", department);
        }
        return claims;
    }

    /** The claims as a token signed with this key. */
    public String sign(JWTClaimsSet claims) {
        SignedJWT token = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KEY_ID).build(),
                claims);
        try {
            token.sign(new RSASSASigner(privateKey));
        }
        catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return token.serialize();
    }

    /** A token valid for an hour. */
    public String mint(String subject, String department, Role... roles) {
        return mint(subject, subject, department, Duration.ofHours(1), roles);
    }

    /** Writes the file readable by its owner only (where the file system has POSIX permissions), atomically. */
    public static void writePrivately(Path file, String text) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
        }
        catch (UnsupportedOperationException notPosix) {
            // Windows: the file system's defaults apply
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static byte[] pem(String text) {
        return Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z ]+-----", "").strip());
    }
}
