package io.pawfiler.auth.domain;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PremiumChangesTest {

    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void onlyAStrictlyNewerChangeSupersedesTheOneApplied() {
        assertTrue(PremiumChanges.supersedes(T, null), "nothing applied yet");
        assertTrue(PremiumChanges.supersedes(T.plusNanos(1000), T));
        assertFalse(PremiumChanges.supersedes(T.minusSeconds(1), T), "a late, older change");
        assertFalse(PremiumChanges.supersedes(T, T), "the same change again");
    }
}
