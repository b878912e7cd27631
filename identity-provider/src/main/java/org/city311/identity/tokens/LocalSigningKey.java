package org.city311.identity.tokens;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;

import org.city311.platform.security.DevTokens;
import org.springframework.security.converter.RsaKeyConverters;

/**
 * The local run's signing key ({@code private.pem}), the one DevTokens signs with and whose {@code public.pem} the
 * services check tokens against; made (with its public half) when the file is missing.
 */
final class LocalSigningKey {

    private LocalSigningKey() {
    }

    static RSAKey load(String location) throws IOException, GeneralSecurityException {
        Path privatePem = Path.of(location.startsWith("file:") ? location.substring("file:".length()) : location);
        if (!Files.exists(privatePem)) {
            if (!privatePem.getFileName().toString().equals("private.pem")) {
                throw new IllegalStateException("No signing key at " + privatePem + ": name an existing private key "
                        + "(PKCS#8 PEM), or a missing private.pem to have the local key pair made in its folder");
            }
            DevTokens.keptIn(privatePem.toAbsolutePath().getParent());
        }
        RSAPrivateCrtKey privateKey;
        try (InputStream pem = Files.newInputStream(privatePem)) {
            privateKey = (RSAPrivateCrtKey) RsaKeyConverters.pkcs8().convert(pem);
        }
        RSAPublicKey publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA")
                .generatePublic(new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
        return new RSAKey.Builder(publicKey).privateKey(privateKey).keyID(DevTokens.KEY_ID)
                .keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).build();
    }
}
