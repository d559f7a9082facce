package io.pawfiler.systemtests;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.helidon.microprofile.testing.junit5.HelidonTest;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.pawfiler.testing.jwt.TestTokens;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A token auth-service issued is accepted by an MP JWT endpoint of a different app that knows only auth-service's
 * JWKS URL and issuer; hostile tokens are not. auth-service runs in its own JVM, as in production.
 */
@ExtendWith(AuthServiceProcess.class)
@HelidonTest
class CrossServiceTokenIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static String userId;
    private static String token;

    @Inject
    WebTarget otherApp;

    @BeforeAll
    static void signUp() throws Exception {
        JsonObject body = postJson(AuthServiceProcess.baseUrl() + "/auth/signup", Json.createObjectBuilder()
                .add("email", "cross." + UUID.randomUUID().toString().substring(0, 8) + "@pawfiler.test")
                .add("password", "password-123").build());
        token = body.getString("token");
        userId = body.getJsonObject("user").getString("id");
    }

    @Test
    void acceptsAuthServiceTokensAndEnforcesRoles() {
        Response whoAmI = call("/whoami", token);
        assertEquals(200, whoAmI.getStatus());
        assertEquals(userId + " [user]", whoAmI.readEntity(String.class));
        assertEquals(403, call("/whoami/admin", token).getStatus(), "no admin group");
        assertEquals(401, call("/whoami", null).getStatus(), "no token");
    }

    @Test
    void rejectsATamperedToken() {
        String[] parts = token.split("\\.");
        JsonObject claims = Json.createReader(new StringReader(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8))).readObject();
        String otherSubject = Json.createObjectBuilder(claims).add("sub", UUID.randomUUID().toString())
                .add("groups", Json.createArrayBuilder().add("user").add("admin")).build().toString();
        String tampered = parts[0] + "." + base64Url(otherSubject.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertEquals(401, call("/whoami", tampered).getStatus());
    }

    @Test
    void rejectsAlgNone() {
        String[] parts = token.split("\\.");
        String header = base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(401, call("/whoami", header + "." + parts[1] + ".").getStatus());
    }

    @Test
    void rejectsHs256SignedWithThePublishedPublicKey() throws Exception {
        // Key confusion: a verifier that let the token pick HS256 would check the HMAC with the RSA public key.
        RSAKey published = (RSAKey) JWKSet.load(URI.create(AuthServiceProcess.baseUrl() + "/.well-known/jwks.json")
                .toURL()).getKeys().get(0);
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(published.getKeyID()).build(),
                claims(AuthServiceProcess.ISSUER, Instant.now().plus(Duration.ofMinutes(5))));
        forged.sign(new MACSigner(published.toRSAPublicKey().getEncoded()));
        assertEquals(401, call("/whoami", forged.serialize()).getStatus());
    }

    @Test
    void rejectsExpiredAndWrongIssuerTokensEvenWhenSignedWithAuthServicesOwnKey() throws Exception {
        RSAKey signing = authServiceSigningKey();
        // control: the same forging path with correct claims is accepted, so each rejection below is for its claim
        assertEquals(200, call("/whoami", sign(signing, claims(AuthServiceProcess.ISSUER,
                Instant.now().plus(Duration.ofMinutes(5))))).getStatus());
        assertEquals(401, call("/whoami", sign(signing, claims(AuthServiceProcess.ISSUER,
                Instant.now().minus(Duration.ofMinutes(10))))).getStatus(), "expired");
        assertEquals(401, call("/whoami", sign(signing, claims("https://evil.example",
                Instant.now().plus(Duration.ofMinutes(5))))).getStatus(), "wrong issuer");
    }

    @Test
    void rejectsATokenFromAnotherKey() {
        String foreign = TestTokens.shared().token(userId, Duration.ofMinutes(5), AuthServiceProcess.ISSUER, "user");
        assertEquals(401, call("/whoami", foreign).getStatus());
    }

    private Response call(String path, String bearer) {
        var request = otherApp.path(path).request();
        if (bearer != null) {
            request = request.header("Authorization", "Bearer " + bearer);
        }
        return request.get();
    }

    private static JWTClaimsSet claims(String issuer, Instant expiresAt) {
        return new JWTClaimsSet.Builder().issuer(issuer).subject(userId).claim("upn", "forged@pawfiler.test")
                .claim("groups", List.of("user")).jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(expiresAt.minus(Duration.ofMinutes(15)))).expirationTime(Date.from(expiresAt))
                .build();
    }

    private static String sign(RSAKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    /**
     * auth-service's active private key, read from its schema and opened with the secret this test gave it
     * (AES-256-GCM under PBKDF2-HMAC-SHA256, 210 000 iterations, as auth-service seals keys at rest).
     */
    private static RSAKey authServiceSigningKey() throws Exception {
        try (Connection connection = AuthServiceProcess.database().connect();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT kid, private_key_sealed, kdf_salt FROM auth.signing_keys "
                     + "WHERE activated_at IS NOT NULL AND retired_at IS NULL ORDER BY activated_at DESC LIMIT 1")) {
            row.next();
            byte[] sealed = row.getBytes("private_key_sealed");
            byte[] salt = row.getBytes("kdf_salt");
            byte[] aesKey = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(
                    new PBEKeySpec(AuthServiceProcess.keySecret().toCharArray(), salt, 210_000, 256)).getEncoded();
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(aesKey, "AES"), new GCMParameterSpec(128, sealed, 0, 12));
            byte[] der = cipher.doFinal(sealed, 12, sealed.length - 12);
            RSAPrivateKey privateKey = (RSAPrivateKey) KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(der));
            RSAKey published = JWKSet.load(URI.create(AuthServiceProcess.baseUrl() + "/.well-known/jwks.json").toURL())
                    .getKeyByKeyId(row.getString("kid")).toRSAKey();
            return new RSAKey.Builder(published).privateKey(privateKey).build();
        }
    }

    private static JsonObject postJson(String url, JsonObject body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
