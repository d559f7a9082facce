package io.pawfiler.video.service;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.pawfiler.platform.errors.ApiException;
import io.pawfiler.platform.security.Caller;
import io.pawfiler.video.domain.MonthlyQuota;
import io.pawfiler.video.store.QuotaStore;

/**
 * The monthly analysis quota. A unit is reserved (committed at once, so concurrent uploads see it) before an upload
 * is read; it becomes the task's charge when the task is created, and is released when the upload is rejected or
 * fails first. A FAILED analysis gets its unit back (see {@link TaskLedger}): the failure was ours, not the user's.
 * A process that dies between reservation and task keeps that one unit until the month ends.
 */
@ApplicationScoped
public class AnalysisQuota {

    /** Who an analysis is for, and whether the limit applies to them. */
    public record Owner(String userId, boolean unlimited) {
        /** The caller themself; premium and admin tokens are unlimited. */
        public static Owner of(Caller caller) {
            return new Owner(caller.userId(), MonthlyQuota.unlimited(caller.roles()));
        }
    }

    /** A unit taken for an upload in progress; {@code period} is null for unlimited owners (nothing taken). */
    public static final class Reservation {
        private final Owner owner;
        private final LocalDate period;
        private final AtomicBoolean settled = new AtomicBoolean();

        Reservation(Owner owner, LocalDate period) {
            this.owner = owner;
            this.period = period;
        }

        public Owner owner() {
            return owner;
        }

        LocalDate period() {
            return period;
        }

        /** True once: the reservation became a task's charge or was released, never both. */
        boolean settle() {
            return settled.compareAndSet(false, true);
        }
    }

    private final MonthlyQuota policy;
    private final Clock clock = Clock.systemUTC();

    @Inject
    QuotaStore store;

    @Inject
    AnalysisQuota(@ConfigProperty(name = "pawfiler.video.quota.monthly-limit") int monthlyLimit,
                  // a String: Helidon's own converter reads ZoneId as a ZoneOffset and refuses region ids
                  @ConfigProperty(name = "pawfiler.video.quota.zone") String zone) {
        this.policy = new MonthlyQuota(monthlyLimit, ZoneId.of(zone));
    }

    public MonthlyQuota policy() {
        return policy;
    }

    /** Takes a unit, or refuses with RESOURCE_EXHAUSTED saying when the month resets. */
    @Transactional
    public Reservation reserve(Owner owner) {
        if (owner.unlimited()) {
            return new Reservation(owner, null);
        }
        Instant now = clock.instant();
        LocalDate period = policy.period(now);
        if (!store.reserve(owner.userId(), period, policy.limit())) {
            throw exhausted(now);
        }
        return new Reservation(owner, period);
    }

    /** Refuses early, taking nothing (e.g. before handing out an upload URL). */
    @Transactional
    public void requireAvailable(Owner owner) {
        if (!owner.unlimited() && status(owner).remaining() <= 0) {
            throw exhausted(clock.instant());
        }
    }

    /** Gives back a reservation that did not become a task (no-op when it did, or was released already). */
    @Transactional
    public void release(Reservation reservation) {
        if (reservation != null && reservation.settle() && reservation.period() != null) {
            store.release(reservation.owner().userId(), reservation.period());
        }
    }

    @Transactional
    public MonthlyQuota.Status status(Owner owner) {
        Instant now = clock.instant();
        return policy.status(store.used(owner.userId(), policy.period(now)), owner.unlimited(), now);
    }

    private ApiException exhausted(Instant now) {
        String resetsAt = policy.resetsAt(now).atZone(policy.zone()).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        return ApiException.resourceExhausted("the free plan's " + policy.limit() + " analyses this month are used up; "
                + "the quota resets at " + resetsAt + " (premium is unlimited)", policy.untilReset(now));
    }
}
