package io.pawfiler.payment.service;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.pawfiler.payment.domain.PaymentLifecycle;
import io.pawfiler.payment.domain.PaymentStatus;
import io.pawfiler.payment.domain.Plan;
import io.pawfiler.payment.domain.ProviderStatus;
import io.pawfiler.payment.domain.SubscriptionTerms;
import io.pawfiler.payment.events.PaymentEvents;
import io.pawfiler.payment.provider.ProviderPayment;
import io.pawfiler.payment.store.PaymentStore;
import io.pawfiler.platform.errors.ApiException;

/**
 * Where a provider's word about a payment becomes state: one transaction that locks the transaction row, steps it
 * through {@link PaymentLifecycle}, and on the step into COMPLETED extends the subscription and writes
 * payment.completed, on the step into REFUNDED shortens it and writes premium.changed. ConfirmPayment, webhooks,
 * reconciliation and refunds all come through here, so a payment is granted once however many of them report it.
 */
@ApplicationScoped
public class Ledger {

    /** The transaction after applying, and whether the amounts disagreed (the caller then cancels at the provider). */
    public record Applied(PaymentStore.TransactionRow transaction, Optional<PaymentStore.SubscriptionRow> subscription,
                          boolean amountMismatch) {
    }

    public static final String AMOUNT_MISMATCH = "amount_mismatch";

    @Inject
    PaymentStore store;

    @Inject
    PaymentEvents events;

    private final Clock clock = Clock.systemUTC();

    /** Applies the provider's current view of the payment. Joins the caller's transaction if there is one. */
    @Transactional
    public Applied apply(String transactionId, ProviderPayment payment) {
        Instant now = clock.instant();
        PaymentStore.TransactionRow transaction = store.lockTransaction(transactionId)
                .orElseThrow(() -> ApiException.notFound("no transaction " + transactionId));
        if (payment.status() == ProviderStatus.DONE && transaction.status() == PaymentStatus.PENDING
                && (payment.totalAmount() != transaction.amount() || !payment.currency().equals(transaction.currency()))) {
            store.updateTransaction(transactionId, PaymentStatus.FAILED, payment.paymentKey(), AMOUNT_MISMATCH
                    + ": paid " + payment.totalAmount() + " " + payment.currency() + ", the order is "
                    + transaction.amount() + " " + transaction.currency(), Optional.empty(), Optional.empty(), now);
            return new Applied(store.transaction(transactionId).orElseThrow(), store.subscription(transaction.userId()), true);
        }
        PaymentLifecycle.Step step = PaymentLifecycle.next(transaction.status(), payment.status());
        if (!step.changes(transaction.status())) {
            return new Applied(transaction, store.subscription(transaction.userId()), false);
        }
        Plan plan = store.plan(transaction.planId()).orElseThrow();
        Optional<PaymentStore.SubscriptionRow> subscription = store.lockSubscription(transaction.userId());
        if (step.grantsPremium()) {
            SubscriptionTerms.Terms terms = SubscriptionTerms.purchase(subscription.map(PaymentStore.SubscriptionRow::terms),
                    plan, now);
            subscription = Optional.of(store.saveSubscription(UUID.randomUUID().toString(), transaction.userId(), terms, now));
            store.updateTransaction(transactionId, step.status(), payment.paymentKey(), null,
                    Optional.of(payment.approvedAt().orElse(now)), Optional.empty(), now);
            events.completed(store.transaction(transactionId).orElseThrow(), plan, subscription.get(), now);
        } else if (step.revokesPremium()) {
            if (subscription.isPresent()) {
                SubscriptionTerms.Terms terms = SubscriptionTerms.refund(subscription.get().terms(), plan, now);
                subscription = Optional.of(store.saveSubscription(subscription.get().id(), transaction.userId(), terms, now));
                events.premiumChanged(subscription.get(), "refund", transactionId, now);
            }
            store.updateTransaction(transactionId, step.status(), payment.paymentKey(), null, Optional.empty(),
                    Optional.of(now), now);
        } else {
            store.updateTransaction(transactionId, step.status(), payment.paymentKey(),
                    step.status() == PaymentStatus.FAILED || step.status() == PaymentStatus.CANCELED
                            ? "provider: " + payment.status().name() : null, Optional.empty(), Optional.empty(), now);
        }
        return new Applied(store.transaction(transactionId).orElseThrow(), subscription, false);
    }

    /**
     * A provider delivery (webhook) applied at most once per its event id: the id is recorded in the same
     * transaction as the change.
     *
     * @return empty for a delivery already applied
     */
    @Transactional
    public Optional<Applied> applyOnce(String provider, String eventId, String transactionId, ProviderPayment payment) {
        if (!store.recordWebhook(provider, eventId, clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(apply(transactionId, payment));
    }

    /** PENDING checkouts past their expiry (reconciliation's work list). */
    @Transactional
    public java.util.List<String> stalePending(Instant now, int limit) {
        return store.stalePending(now, limit);
    }

    @Transactional
    public boolean exists(String transactionId) {
        return store.transaction(transactionId).isPresent();
    }

    @Transactional
    public PaymentStore.TransactionRow read(String transactionId) {
        return store.transaction(transactionId).orElseThrow(() -> ApiException.notFound("no transaction " + transactionId));
    }

    @Transactional
    public Optional<PaymentStore.SubscriptionRow> subscription(String userId) {
        return store.subscription(userId);
    }

    /** Ends a PENDING transaction without a provider payment (refused, never paid, amount refused before confirming). */
    @Transactional
    public PaymentStore.TransactionRow fail(String transactionId, String paymentKey, String reason) {
        PaymentStore.TransactionRow transaction = store.lockTransaction(transactionId)
                .orElseThrow(() -> ApiException.notFound("no transaction " + transactionId));
        if (transaction.status() == PaymentStatus.PENDING) {
            store.updateTransaction(transactionId, PaymentStatus.FAILED, paymentKey, reason, Optional.empty(),
                    Optional.empty(), clock.instant());
        }
        return store.transaction(transactionId).orElseThrow();
    }
}
