package io.pawfiler.auth.domain;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.pawfiler.auth.domain.LoginThrottlePolicy.State;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoginThrottlePolicyTest {

    private final LoginThrottlePolicy policy = new LoginThrottlePolicy(3, Duration.ofMinutes(15), Duration.ofMinutes(10));
    private final Instant t0 = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void theLimitWithinTheWindowLocksForTheLockoutPeriod() {
        State state = State.NONE;
        state = policy.afterFailure(state, t0);
        state = policy.afterFailure(state, t0.plusSeconds(60));
        assertTrue(policy.lockedFor(state, t0.plusSeconds(61)).isEmpty(), "two failures are allowed");
        state = policy.afterFailure(state, t0.plusSeconds(120));
        assertEquals(Duration.ofMinutes(10), policy.lockedFor(state, t0.plusSeconds(120)).orElseThrow());
        assertEquals(Duration.ofMinutes(4), policy.lockedFor(state, t0.plusSeconds(120 + 360)).orElseThrow());
        assertTrue(policy.lockedFor(state, t0.plusSeconds(120 + 600)).isEmpty(), "lock ends");
    }

    @Test
    void failuresSpreadBeyondTheWindowDoNotAddUp() {
        State state = policy.afterFailure(State.NONE, t0);
        state = policy.afterFailure(state, t0.plus(Duration.ofMinutes(10)));
        state = policy.afterFailure(state, t0.plus(Duration.ofMinutes(16)));
        assertEquals(1, state.failedAttempts(), "the window restarted");
        assertTrue(policy.lockedFor(state, t0.plus(Duration.ofMinutes(16))).isEmpty());
    }

    @Test
    void afterALockEndsCountingStartsAfresh() {
        State state = State.NONE;
        for (int i = 0; i < 3; i++) {
            state = policy.afterFailure(state, t0);
        }
        Instant afterLock = t0.plus(Duration.ofMinutes(11));
        state = policy.afterFailure(state, afterLock);
        assertEquals(1, state.failedAttempts());
        assertTrue(policy.lockedFor(state, afterLock).isEmpty());
    }
}
