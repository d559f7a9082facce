package io.pawfiler.testing.jwt;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.Jwk;
import io.helidon.security.jwt.jwk.JwkRSA;

/**
 * Mints RS256 access tokens shaped like auth-service's ({@code iss}, {@code sub}, {@code upn}, {@code groups},
 * {@code jti}, {@code kid}) from a key pair made for this test JVM, and publishes the matching JWKS, so a
 * service under test can verify them exactly as it verifies real ones.
 */
public final class TestTokens {

    public static final String ISSUER = "https://auth.pawfiler.test";
    private static final TestTokens SHARED = new TestTokens("test-key-1");

    private final String keyId;
    private final RSAPublicKey publicKey;
    private final JwkRSA signingKey;

    public TestTokens(String keyId) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            this.keyId = keyId;
            this.publicKey = (RSAPublicKey) pair.getPublic();
            this.signingKey = JwkRSA.builder()
                    .publicKey(publicKey)
                    .privateKey((RSAPrivateKey) pair.getPrivate())
                    .keyId(keyId)
                    .algorithm(JwkRSA.ALG_RS256)
                    .usage(Jwk.USE_SIGNATURE)
                    .build();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("RSA is part of every JDK", e);
        }
    }

    /** The key pair shared by all tests of this JVM. */
    public static TestTokens shared() {
        return SHARED;
    }

    /** A valid 15-minute token for {@code userId} with the given roles (e.g. "user", "admin"). */
    public String token(String userId, String... groups) {
        return token(userId, Duration.ofMinutes(15), ISSUER, groups);
    }

    public String token(String userId, Duration validFor, String issuer, String... groups) {
        Instant now = Instant.now();
        Jwt.Builder jwt = Jwt.builder()
                .keyId(keyId)
                .algorithm(JwkRSA.ALG_RS256)
                .issuer(issuer)
                .subject(userId)
                .userPrincipal(userId + "@pawfiler.test")
                .issueTime(now)
                .notBefore(now.minusSeconds(validFor.isNegative() ? 3600 : 0))
                .expirationTime(now.plus(validFor))
                .jwtId(UUID.randomUUID().toString());
        List.of(groups).forEach(jwt::addUserGroup);
        return SignedJwt.sign(jwt.build(), signingKey).tokenContent();
    }

    /** The public half as a JWKS document ({@code {"keys":[...]}}). */
    public String jwks() {
        return "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"" + keyId + "\","
                + "\"n\":\"" + base64Url(publicKey.getModulus()) + "\","
                + "\"e\":\"" + base64Url(publicKey.getPublicExponent()) + "\"}]}";
    }

    /** Writes the JWKS to a file, for {@code mp.jwt.verify.publickey.location=file:...}. */
    public Path writeJwks(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, jwks(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public String keyId() {
        return keyId;
    }

    private static String base64Url(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) { // drop the sign byte: JWK wants the unsigned big-endian value
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
