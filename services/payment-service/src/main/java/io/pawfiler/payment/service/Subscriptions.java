package io.pawfiler.payment.service;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.pawfiler.payment.domain.SubscriptionTerms;
import io.pawfiler.payment.events.PaymentEvents;
import io.pawfiler.payment.store.PaymentStore;
import io.pawfiler.platform.errors.ApiException;

/** A user's one subscription: read, cancel (no renewal, premium until the end), expire (scheduled). */
@ApplicationScoped
public class Subscriptions {

    @Inject
    PaymentStore store;

    @Inject
    PaymentEvents events;

    private final Clock clock = Clock.systemUTC();

    @Transactional
    public Optional<PaymentStore.SubscriptionRow> of(String userId) {
        return store.subscription(userId);
    }

    /** Users whose paid period ended but whose subscription is not EXPIRED yet. */
    @Transactional
    public java.util.List<String> ended(Instant now, int limit) {
        return store.endedSubscriptions(now, limit);
    }

    /** Stops renewal; premium stays until expires_at. Cancelling twice is the same as once. */
    @Transactional
    public PaymentStore.SubscriptionRow cancel(String userId, String subscriptionId, boolean admin) {
        Optional<PaymentStore.SubscriptionRow> own = store.lockSubscription(userId);
        if (subscriptionId != null && !subscriptionId.isBlank()
                && own.map(PaymentStore.SubscriptionRow::id).filter(subscriptionId::equals).isEmpty()) {
            throw admin ? ApiException.notFound("no subscription " + subscriptionId + " of " + userId)
                    : ApiException.permissionDenied("subscription " + subscriptionId + " is not yours");
        }
        PaymentStore.SubscriptionRow subscription = own.orElseThrow(() -> ApiException.notFound("no subscription to cancel"));
        if (subscription.terms().status() == SubscriptionTerms.Status.EXPIRED) {
            throw ApiException.failedPrecondition("the subscription has expired already");
        }
        Instant now = clock.instant();
        return store.saveSubscription(subscription.id(), userId, SubscriptionTerms.cancel(subscription.terms(), now), now);
    }

    /**
     * Marks one user's ended subscription EXPIRED and says so (premium.changed with the end that already passed:
     * true, and auth's tokens stopped carrying premium at that time anyway).
     */
    @Transactional
    public boolean expire(String userId) {
        Instant now = clock.instant();
        Optional<PaymentStore.SubscriptionRow> subscription = store.lockSubscription(userId);
        if (subscription.isEmpty()) {
            return false;
        }
        Optional<SubscriptionTerms.Terms> expired = SubscriptionTerms.expire(subscription.get().terms(), now);
        if (expired.isEmpty()) {
            return false;
        }
        PaymentStore.SubscriptionRow saved = store.saveSubscription(subscription.get().id(), userId, expired.get(), now);
        events.premiumChanged(saved, "expired", null, now);
        return true;
    }
}
