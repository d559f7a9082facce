package io.pawfiler.auth.tokens;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.pawfiler.auth.tokens.KeyRotation.KeyState;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyRotationTest {

    private final Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
    private final Duration period = Duration.ofDays(30);

    @Test
    void rotationIsDueWithoutAnActiveKeyOrWhenTheActiveKeyIsOlderThanThePeriod() {
        assertTrue(KeyRotation.rotationDue(List.of(), t0, period));
        List<KeyState> keys = List.of(new KeyState("a", t0, t0, null), new KeyState("b", t0, null, null));
        assertFalse(KeyRotation.rotationDue(keys, t0.plus(Duration.ofDays(29)), period));
        assertTrue(KeyRotation.rotationDue(keys, t0.plus(period), period));
    }

    @Test
    void theNewestActiveKeySignsAndTheOldestPendingKeyIsNext() {
        List<KeyState> keys = List.of(
                new KeyState("retired", t0, t0, t0.plusSeconds(10)),
                new KeyState("active", t0, t0.plusSeconds(10), null),
                new KeyState("next", t0.plusSeconds(10), null, null),
                new KeyState("later", t0.plusSeconds(20), null, null));
        assertEquals("active", KeyRotation.active(keys).orElseThrow().kid());
        assertEquals("next", KeyRotation.nextPending(keys).orElseThrow().kid());
    }

    @Test
    void retiredKeysStayPublishedUntilTheirTokensHaveExpired() {
        Duration retention = Duration.ofMinutes(16);
        KeyState retired = new KeyState("old", t0, t0, t0.plus(Duration.ofDays(30)));
        Instant retiredAt = retired.retiredAt();
        assertTrue(KeyRotation.published(retired, retiredAt.plus(Duration.ofMinutes(15)), retention));
        assertFalse(KeyRotation.published(retired, retiredAt.plus(retention), retention));
        assertTrue(KeyRotation.published(new KeyState("pending", t0, null, null), t0.plus(Duration.ofDays(900)),
                retention));
    }
}
