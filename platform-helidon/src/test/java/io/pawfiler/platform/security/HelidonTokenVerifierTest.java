package io.pawfiler.platform.security;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.errors.ErrorKind;
import io.pawfiler.testing.jwt.TestTokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HelidonTokenVerifierTest {

    private static final TestTokens TOKENS = new TestTokens("verifier-test");

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        Instant now = Instant.now();

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @TempDir
    Path dir;

    private HelidonTokenVerifier verifier(Clock clock) {
        Path jwks = TOKENS.writeJwks(dir.resolve("jwks.json"));
        return new HelidonTokenVerifier(jwks.toUri().toString(), TestTokens.ISSUER, Duration.ofSeconds(10), clock);
    }

    @Test
    void aVerifiedTokenIsAnsweredFromTheCacheUntilItExpires() {
        ManualClock clock = new ManualClock();
        HelidonTokenVerifier verifier = verifier(clock);
        String token = TOKENS.token("user-1", Duration.ofMinutes(5), TestTokens.ISSUER, "user", "premium");

        assertEquals(new Caller("user-1", Set.of("user", "premium")), verifier.verify(token));
        assertEquals(new Caller("user-1", Set.of("user", "premium")), verifier.verify(token));

        clock.now = clock.now.plus(Duration.ofMinutes(6));
        ApiException expired = assertThrows(ApiException.class, () -> verifier.verify(token));
        assertEquals(ErrorKind.UNAUTHENTICATED, expired.kind());
    }

    @Test
    void aTamperedTokenIsRejectedEvenAfterItsOriginalWasCached() {
        HelidonTokenVerifier verifier = verifier(Clock.systemUTC());
        String token = TOKENS.token("user-1", "user");
        verifier.verify(token);

        String[] parts = token.split("\\.");
        String otherClaims = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"sub\":\"admin-1\",\"groups\":[\"admin\"],\"iss\":\"" + TestTokens.ISSUER + "\",\"exp\":"
                        + (Instant.now().getEpochSecond() + 300) + "}").getBytes());
        String tampered = parts[0] + "." + otherClaims + "." + parts[2];

        ApiException rejected = assertThrows(ApiException.class, () -> verifier.verify(tampered));
        assertEquals(ErrorKind.UNAUTHENTICATED, rejected.kind());
    }
}
