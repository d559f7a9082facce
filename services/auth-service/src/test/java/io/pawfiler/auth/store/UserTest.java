package io.pawfiler.auth.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.pawfiler.auth.domain.Roles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UserTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void theNewestPremiumChangeWinsWhateverOrderTheyArriveIn() {
        User user = new User("u1", "cat@pawfiler.io", "hash", "cat", "🐱", false, NOW);
        Instant paid = NOW.minus(Duration.ofMinutes(10));
        Instant refunded = NOW.minus(Duration.ofMinutes(5));

        assertTrue(user.changePremium(NOW.plus(Duration.ofDays(30)), paid, NOW));
        assertEquals(List.of("user", "premium"), Roles.of(false, user.premiumUntil(), NOW));

        // a refund's premium_until is taken as sent, though it shortens the period
        assertTrue(user.changePremium(NOW, refunded, NOW));
        assertEquals(NOW, user.premiumUntil());
        assertEquals(List.of("user"), Roles.of(false, user.premiumUntil(), NOW), "premium ends at premium_until");

        // a payment made before the refund, read late: no re-grant, however far it reaches
        assertFalse(user.changePremium(NOW.plus(Duration.ofDays(365)), refunded.minusSeconds(1), NOW));
        assertEquals(NOW, user.premiumUntil());
        assertEquals(refunded, user.premiumChangedAt());

        // expiry without an end: no premium at all
        assertTrue(user.changePremium(null, refunded.plusSeconds(1), NOW));
        assertNull(user.premiumUntil());

        Instant renewed = NOW.minusSeconds(30);
        assertTrue(user.changePremium(NOW.plus(Duration.ofDays(30)), renewed, NOW));
        assertEquals(List.of("user", "premium"), Roles.of(false, user.premiumUntil(), NOW));
        assertEquals(renewed, user.premiumChangedAt());
    }
}
