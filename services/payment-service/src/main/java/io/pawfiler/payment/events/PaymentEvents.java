package io.pawfiler.payment.events;

import java.time.Instant;

import com.google.protobuf.Timestamp;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.pawfiler.api.events.PaymentCompleted;
import io.pawfiler.api.events.PremiumChanged;
import io.pawfiler.payment.domain.Plan;
import io.pawfiler.payment.store.PaymentStore;
import io.pawfiler.platform.events.EventType;
import io.pawfiler.platform.outbox.Outbox;

/** What payment-service publishes, through the outbox inside the transaction that changed the state. */
@ApplicationScoped
public class PaymentEvents {

    @Inject
    Outbox outbox;

    /** A confirmed payment: auth sets premium_until, quiz credits the plan's bonus coins (once per payment id). */
    public void completed(PaymentStore.TransactionRow transaction, Plan plan, PaymentStore.SubscriptionRow subscription,
                          Instant at) {
        outbox.publish(EventType.PAYMENT_COMPLETED, transaction.userId(), PaymentCompleted.newBuilder()
                .setPaymentId(transaction.id()).setUserId(transaction.userId()).setPlanId(plan.id())
                .setAmount(transaction.amount()).setCurrency(transaction.currency())
                .setPremiumUntil(timestamp(subscription.terms().expiresAt())).setCompletedAt(timestamp(at))
                .setSubscriptionId(subscription.id()).setBonusCoins(plan.bonusCoins()).build());
    }

    /** Premium taken away or shortened: a refund, or the end of a paid period. */
    public void premiumChanged(PaymentStore.SubscriptionRow subscription, String reason, String paymentId, Instant at) {
        PremiumChanged.Builder event = PremiumChanged.newBuilder().setUserId(subscription.userId())
                .setSubscriptionId(subscription.id()).setReason(reason).setChangedAt(timestamp(at))
                .setPremiumUntil(timestamp(subscription.terms().premiumAt(at) ? subscription.terms().expiresAt() : at));
        if (paymentId != null) {
            event.setPaymentId(paymentId);
        }
        outbox.publish(EventType.PREMIUM_CHANGED, subscription.userId(), event.build());
    }

    public static Timestamp timestamp(Instant at) {
        return Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()).build();
    }
}
