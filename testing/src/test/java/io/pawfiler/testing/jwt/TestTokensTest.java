package io.pawfiler.testing.jwt;

import java.io.StringReader;
import java.time.Duration;
import java.util.List;

import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.JwkKeys;
import jakarta.json.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestTokensTest {

    private static JwkKeys keysOf(TestTokens tokens) {
        return JwkKeys.builder()
                .json(Json.createReader(new StringReader(tokens.jwks())).readObject())
                .build();
    }

    @Test
    void mintsAnRs256TokenThatVerifiesAgainstItsJwks() {
        TestTokens tokens = new TestTokens("k-1");
        SignedJwt signed = SignedJwt.parseToken(tokens.token("user-1", "user", "admin"));

        assertTrue(signed.verifySignature(keysOf(tokens)).isValid());
        assertEquals("RS256", signed.getJwt().algorithm().orElseThrow());
        assertEquals("k-1", signed.getJwt().keyId().orElseThrow());
        Jwt jwt = signed.getJwt();
        assertEquals("user-1", jwt.subject().orElseThrow());
        assertEquals(TestTokens.ISSUER, jwt.issuer().orElseThrow());
        assertEquals(List.of("user", "admin"), jwt.userGroups().orElseThrow());
        assertTrue(jwt.jwtId().isPresent());
        assertTrue(jwt.validate(TestTokens.ISSUER, (String) null).isValid());
    }

    @Test
    void anotherKeyPairsTokenDoesNotVerify() {
        TestTokens ours = new TestTokens("k-1");
        TestTokens theirs = new TestTokens("k-1");
        assertFalse(SignedJwt.parseToken(theirs.token("user-1")).verifySignature(keysOf(ours)).isValid());
    }

    @Test
    void expiredTokensAreExpired() {
        TestTokens tokens = new TestTokens("k-1");
        Jwt jwt = SignedJwt.parseToken(tokens.token("user-1", Duration.ofMinutes(-5), TestTokens.ISSUER)).getJwt();
        assertFalse(jwt.validate(TestTokens.ISSUER, (String) null).isValid());
    }
}
