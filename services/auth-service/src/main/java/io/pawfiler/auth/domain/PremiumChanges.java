package io.pawfiler.auth.domain;

import java.time.Instant;

/**
 * Which word on the paid period counts. payment-service computes premium_until itself (renewals, plan switches,
 * refunds, expiry) and sends the result in payment.completed and premium.changed; auth-service only keeps the latest
 * result. The two topics are read independently and events come late or again, so "latest" is decided by when
 * payment-service made the change, never by when it arrives here.
 */
public final class PremiumChanges {

    private PremiumChanges() {
    }

    /**
     * @param changedAt     when payment-service made this change
     * @param lastAppliedAt when it made the change applied last; null: none applied yet
     * @return whether the change replaces the one applied last. A tie keeps what is there: the same change seen again
     *         (another event id, a replay) is then a no-op
     */
    public static boolean supersedes(Instant changedAt, Instant lastAppliedAt) {
        return lastAppliedAt == null || changedAt.isAfter(lastAppliedAt);
    }
}
