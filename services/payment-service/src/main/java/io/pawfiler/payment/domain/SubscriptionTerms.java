package io.pawfiler.payment.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * How payments move a user's one subscription. A purchase extends premium from the later of now and the current
 * end by the plan's period, whatever the plan before: buying again while active adds a period, and switching
 * monthly → yearly keeps the monthly days left and adds a year (as the original app did). A refund takes the refunded
 * plan's period back off the end, ending premium now if that leaves nothing.
 */
public final class SubscriptionTerms {

    public enum Status { ACTIVE, CANCELED, EXPIRED }

    public record Terms(String planId, Status status, Instant startedAt, Instant expiresAt, boolean autoRenew,
                        Optional<Instant> canceledAt) {

        public boolean premiumAt(Instant now) {
            return status != Status.EXPIRED && expiresAt.isAfter(now);
        }
    }

    private SubscriptionTerms() {
    }

    public static Terms purchase(Optional<Terms> current, Plan plan, Instant now) {
        Instant from = current.filter(t -> t.status() != Status.EXPIRED && t.expiresAt().isAfter(now))
                .map(Terms::expiresAt).orElse(now);
        Instant startedAt = current.filter(t -> t.premiumAt(now)).map(Terms::startedAt).orElse(now);
        return new Terms(plan.id(), Status.ACTIVE, startedAt, from.plus(plan.period()), true, Optional.empty());
    }

    /** No renewal; premium stays until the end already paid for. */
    public static Terms cancel(Terms current, Instant now) {
        if (current.status() != Status.ACTIVE) {
            return current;
        }
        return new Terms(current.planId(), Status.CANCELED, current.startedAt(), current.expiresAt(), false,
                Optional.of(now));
    }

    public static Terms refund(Terms current, Plan refunded, Instant now) {
        Instant end = current.expiresAt().minus(refunded.period());
        if (!end.isAfter(now)) {
            return new Terms(current.planId(), Status.EXPIRED, current.startedAt(), now, false, current.canceledAt());
        }
        return new Terms(current.planId(), current.status(), current.startedAt(), end, current.autoRenew(),
                current.canceledAt());
    }

    /** The scheduled end of a paid period. */
    public static Optional<Terms> expire(Terms current, Instant now) {
        if (current.status() == Status.EXPIRED || current.expiresAt().isAfter(now)) {
            return Optional.empty();
        }
        return Optional.of(new Terms(current.planId(), Status.EXPIRED, current.startedAt(), current.expiresAt(), false,
                current.canceledAt()));
    }
}
