package io.pawfiler.community.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.errors.ErrorKind;

/**
 * At most {@code count} actions of one kind per user within a sliding {@code window}. Checked against the user's own
 * rows (the n-th most recent action's time), so every instance of the service enforces the same limit.
 */
public record RateLimit(String field, String action, int count, Duration window) {

    public RateLimit {
        if (count < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("a rate limit needs a count >= 1 and a positive window");
        }
    }

    /**
     * @param countthMostRecent when the user's {@code count}-th most recent action of this kind happened, if they have
     *                          that many
     * @throws ApiException RESOURCE_EXHAUSTED (naming {@link #field}) with the time until that action leaves the
     *                      window, when one more would exceed the limit
     */
    public void check(Optional<Instant> countthMostRecent, Instant now) {
        if (countthMostRecent.isEmpty()) {
            return;
        }
        Instant leavesWindow = countthMostRecent.get().plus(window);
        if (leavesWindow.isAfter(now)) {
            Duration retryAfter = Duration.between(now, leavesWindow);
            throw new ApiException(ErrorKind.RESOURCE_EXHAUSTED, field,
                    "rate_limited: at most " + count + " " + action + " per " + humanise(window) + "; try again in "
                            + Math.max(1, retryAfter.toSeconds()) + " s", retryAfter);
        }
    }

    private static String humanise(Duration window) {
        long minutes = window.toMinutes();
        return minutes >= 1 && window.toSeconds() % 60 == 0 ? minutes + " min" : window.toSeconds() + " s";
    }
}
