package io.pawfiler.dashboard.domain;

import java.time.Instant;

/**
 * Premium as payment-service last changed it: payment.completed extends it, premium.changed (refund, expiry) takes it
 * away. The change with the newest time wins, whichever topic it came from (as auth-service does for
 * premium_until), so the two topics may be read in any order.
 *
 * @param premiumUntil null: no premium
 * @param changedAt    time of the change that set {@code premiumUntil}
 */
public record Subscription(Instant premiumUntil, String planId, Instant changedAt, Instant lastPaymentAt) {

    public static Subscription paid(Subscription current, Instant premiumUntil, String planId, Instant completedAt) {
        Instant lastPayment = current == null || current.lastPaymentAt() == null
                || completedAt.isAfter(current.lastPaymentAt()) ? completedAt : current.lastPaymentAt();
        if (current != null && current.changedAt() != null && !completedAt.isAfter(current.changedAt())) {
            return new Subscription(current.premiumUntil(), current.planId(), current.changedAt(), lastPayment);
        }
        return new Subscription(premiumUntil, planId, completedAt, lastPayment);
    }

    public static Subscription changed(Subscription current, Instant premiumUntil, Instant changedAt) {
        if (current != null && current.changedAt() != null && !changedAt.isAfter(current.changedAt())) {
            return current;
        }
        return new Subscription(premiumUntil, current == null ? "" : current.planId(), changedAt,
                current == null ? null : current.lastPaymentAt());
    }

    public boolean premiumAt(Instant now) {
        return premiumUntil != null && premiumUntil.isAfter(now);
    }
}
