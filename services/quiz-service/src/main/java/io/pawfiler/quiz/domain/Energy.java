package io.pawfiler.quiz.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * Energy: every answer costs {@link #COST}; {@link #REFILL_AMOUNT} comes back per full {@link #REFILL_INTERVAL}
 * since the last refill, up to the maximum. A partial interval carries over (the refill clock advances by whole
 * intervals only); while energy is full the clock does not run, so nothing is banked above the maximum.
 */
public record Energy(int current, int max, Instant refilledAt) {

    public static final int COST = 5;
    public static final int DEFAULT_MAX = 100;
    public static final int REFILL_AMOUNT = 10;
    public static final Duration REFILL_INTERVAL = Duration.ofHours(3);

    public static Energy full(Instant now) {
        return new Energy(DEFAULT_MAX, DEFAULT_MAX, now);
    }

    /** The energy at {@code now} after the time-based refill. */
    public Energy refilledAt(Instant now) {
        if (current >= max) {
            return new Energy(current, max, now);
        }
        long intervals = Math.max(0, Duration.between(refilledAt, now).toMillis() / REFILL_INTERVAL.toMillis());
        if (intervals == 0) {
            return this;
        }
        long refilled = current + intervals * REFILL_AMOUNT;
        if (refilled >= max) {
            return new Energy(max, max, now);
        }
        return new Energy((int) refilled, max, refilledAt.plus(REFILL_INTERVAL.multipliedBy(intervals)));
    }

    public boolean canAfford() {
        return current >= COST;
    }

    /** Pays for one answer. Spending from full starts the refill clock. */
    public Energy spend(Instant now) {
        if (!canAfford()) {
            throw new IllegalStateException("insufficient energy");
        }
        return new Energy(current - COST, max, current >= max ? now : refilledAt);
    }

    public Energy fill(Instant now) {
        return new Energy(max, max, now);
    }
}
