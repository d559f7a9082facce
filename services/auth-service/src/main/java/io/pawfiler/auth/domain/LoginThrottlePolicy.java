package io.pawfiler.auth.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Failed sign-ins per email: {@code maxFailures} failures within {@code window} lock the email for
 * {@code lockout}. Counting per email (not per IP) stops password guessing against one account from many
 * addresses; unknown emails are counted the same way so the lock reveals nothing about which accounts exist.
 */
public record LoginThrottlePolicy(int maxFailures, Duration window, Duration lockout) {

    public LoginThrottlePolicy {
        if (maxFailures < 1 || window.isNegative() || window.isZero() || lockout.isNegative() || lockout.isZero()) {
            throw new IllegalArgumentException("invalid login throttle policy");
        }
    }

    /** The failures recorded for one email. */
    public record State(int failedAttempts, Instant windowStarted, Instant lockedUntil) {
        public static final State NONE = new State(0, Instant.EPOCH, null);
    }

    /** How long the email is still locked, if it is. */
    public Optional<Duration> lockedFor(State state, Instant now) {
        if (state.lockedUntil() != null && now.isBefore(state.lockedUntil())) {
            return Optional.of(Duration.between(now, state.lockedUntil()));
        }
        return Optional.empty();
    }

    /** The state after one more failure at {@code now}. */
    public State afterFailure(State state, Instant now) {
        boolean windowOver = !now.isBefore(state.windowStarted().plus(window))
                || (state.lockedUntil() != null && !now.isBefore(state.lockedUntil()));
        State counted = windowOver
                ? new State(1, now, null)
                : new State(state.failedAttempts() + 1, state.windowStarted(), state.lockedUntil());
        if (counted.failedAttempts() >= maxFailures) {
            return new State(counted.failedAttempts(), counted.windowStarted(), now.plus(lockout));
        }
        return counted;
    }
}
