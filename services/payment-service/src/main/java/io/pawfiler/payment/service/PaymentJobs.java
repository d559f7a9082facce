package io.pawfiler.payment.service;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.pawfiler.payment.domain.PaymentStatus;
import io.pawfiler.payment.domain.ProviderStatus;
import io.pawfiler.payment.provider.PaymentProvider;
import io.pawfiler.payment.provider.ProviderPayment;
import io.pawfiler.payment.store.PaymentStore;
import io.pawfiler.platform.db.DatabaseMigration;

/**
 * Scheduled work, every {@code pawfiler.payment.jobs.interval}:
 * <ul>
 *   <li>reconciliation: a PENDING checkout past its expiry is looked up at the provider, so a lost webhook or a
 *   browser closed after paying never loses a paid order: DONE is applied, a payment authorised but never confirmed
 *   is confirmed now, anything else (or no payment at all) ends the transaction;</li>
 *   <li>expiry: subscriptions whose paid period ended become EXPIRED.</li>
 * </ul>
 * Every step is idempotent (the Ledger's state machine), so several instances may run it at once.
 */
@ApplicationScoped
public class PaymentJobs {

    private static final System.Logger LOG = System.getLogger(PaymentJobs.class.getName());
    private static final int BATCH = 100;

    @Inject
    PaymentProvider provider;

    @Inject
    Ledger ledger;

    @Inject
    Subscriptions subscriptions;

    @Inject
    @ConfigProperty(name = "pawfiler.payment.jobs.interval", defaultValue = "PT1M")
    Duration interval;

    private final Clock clock = Clock.systemUTC();
    private ScheduledExecutorService scheduler;

    synchronized void start(@Observes DatabaseMigration.Completed migrated) {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("payment-jobs").daemon().factory());
            scheduler.scheduleWithFixedDelay(this::runOnce, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @PreDestroy
    synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** One round of both jobs (also what tests call instead of waiting). */
    public void runOnce() {
        try {
            reconcile();
            expire();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "payment jobs: " + e.getMessage(), e);
        }
    }

    /** @return how many stale checkouts were settled one way or another */
    public int reconcile() {
        int settled = 0;
        for (String transactionId : ledger.stalePending(clock.instant(), BATCH)) {
            try {
                if (reconcile(transactionId)) {
                    settled++;
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "reconciling " + transactionId + ": " + e.getMessage());
            }
        }
        return settled;
    }

    public int expire() {
        int expired = 0;
        for (String userId : subscriptions.ended(clock.instant(), BATCH)) {
            if (subscriptions.expire(userId)) {
                expired++;
            }
        }
        return expired;
    }

    private boolean reconcile(String transactionId) {
        PaymentStore.TransactionRow transaction = ledger.read(transactionId);
        if (transaction.status() != PaymentStatus.PENDING) {
            return false;
        }
        Optional<ProviderPayment> payment = provider.findByOrder(transactionId);
        if (payment.isEmpty()) {
            ledger.fail(transactionId, null, "expired: never paid");
            return true;
        }
        ProviderPayment current = payment.get();
        if (current.status() == ProviderStatus.IN_PROGRESS) {
            // authorised on the checkout page, but nobody confirmed it: the amount is the order's, so confirm now
            if (current.totalAmount() != transaction.amount()) {
                ledger.fail(transactionId, current.paymentKey(), Ledger.AMOUNT_MISMATCH + ": authorised "
                        + current.totalAmount() + ", the order is " + transaction.amount());
                provider.cancel(current.paymentKey(), "amount does not match the order", "cancel-" + transactionId);
                return true;
            }
            current = provider.confirm(current.paymentKey(), transactionId, transaction.amount(), "confirm-" + transactionId);
        }
        Ledger.Applied applied = ledger.apply(transactionId, current);
        if (applied.transaction().status() == PaymentStatus.PENDING) {
            ledger.fail(transactionId, current.paymentKey(), "expired: provider status " + current.status());
        }
        return true;
    }
}
