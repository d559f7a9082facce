package io.pawfiler.auth.tokens;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The life-cycle rules of signing keys, as pure decisions over their timestamps.
 * <ul>
 *   <li>There is always one <em>pending</em> key: published in the JWKS but not signing yet, so verifiers that
 *       cache the JWKS already know it when it takes over.</li>
 *   <li>Rotation (when the active key is older than the rotation period, or on command) retires the active key,
 *       activates the oldest pending one, and a new pending key is made.</li>
 *   <li>A retired key stays published until every token it signed has expired (token lifetime + clock skew).</li>
 * </ul>
 */
public final class KeyRotation {

    /** The life-cycle of one key. */
    public record KeyState(String kid, Instant createdAt, Instant activatedAt, Instant retiredAt) {
        public boolean pending() {
            return activatedAt == null && retiredAt == null;
        }

        public boolean active() {
            return activatedAt != null && retiredAt == null;
        }
    }

    private KeyRotation() {
    }

    /** The key that signs: the most recently activated one still active. */
    public static Optional<KeyState> active(List<KeyState> keys) {
        return keys.stream().filter(KeyState::active).max(Comparator.comparing(KeyState::activatedAt));
    }

    /** The key that takes over at the next rotation. */
    public static Optional<KeyState> nextPending(List<KeyState> keys) {
        return keys.stream().filter(KeyState::pending).min(Comparator.comparing(KeyState::createdAt));
    }

    public static boolean rotationDue(List<KeyState> keys, Instant now, Duration rotationPeriod) {
        return active(keys).map(key -> !now.isBefore(key.activatedAt().plus(rotationPeriod))).orElse(true);
    }

    /** Whether a key belongs in the JWKS: pending, active, or retired less than {@code retention} ago. */
    public static boolean published(KeyState key, Instant now, Duration retention) {
        return key.retiredAt() == null || now.isBefore(key.retiredAt().plus(retention));
    }
}
